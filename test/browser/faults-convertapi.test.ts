import { expect } from '@open-wc/testing';
import { html } from 'lit';
import type { ConvertUploader, UploadItem } from '../../src/index.js';
import {
  addFaults,
  backendInfo,
  logMark,
  resetBackend,
  sandboxRequests,
  settled,
  tokenCalls,
  until,
  type LoggedRequest,
} from './support/backend-client.js';
import { expectCleanPages } from './support/clean-page.js';
import { fixture, makeFile } from './support/fixture.js';

async function uploader(tokenEndpoint = '/api/convert-token'): Promise<ConvertUploader> {
  const { convertapiBase } = await backendInfo();
  return fixture<ConvertUploader>(
    html`<convert-uploader
      multiple
      to="pdf"
      concurrency="2"
      token-endpoint=${tokenEndpoint}
      api-base=${convertapiBase}
    ></convert-uploader>`,
  );
}

function conversions(log: readonly LoggedRequest[]): LoggedRequest[] {
  return log.filter((entry) => entry.method === 'POST' && entry.path.startsWith('/convert/'));
}

/** Each file converted at most once by the element on its own (a visitor's Retry is a new conversion). */
function expectNoDuplicateConversions(log: readonly LoggedRequest[]): void {
  const succeeded = conversions(log).filter((entry) => entry.status === 200);
  const uploads = log.filter(
    (entry) => entry.method === 'POST' && entry.path.startsWith('/upload') && entry.status === 200,
  );
  expect(succeeded.length).to.be.at.most(uploads.length);
}

async function retryAll(el: ConvertUploader, count: number): Promise<readonly UploadItem[]> {
  el.retry();
  return settled(el, count);
}

const three = () => [makeFile('one.txt', '1'), makeFile('two.txt', '2'), makeFile('three.txt', '3')];

describe('fault matrix, ConvertAPI', function () {
  this.timeout(60_000);
  expectCleanPages();

  beforeEach(async () => {
    await resetBackend();
  });

  for (const [route, status] of [
    ['status-500', 500],
    ['status-401', 401],
    ['html', 200],
  ] as const) {
    it(`token endpoint ${route}: every file fails with token-endpoint-failed, then Retry works`, async () => {
      const el = await uploader(`/__test/token/${route}`);
      el.addFiles(three());
      const items = await settled(el, 3);
      expect(items.map((item) => item.error?.code)).to.deep.equal(Array(3).fill('token-endpoint-failed'));
      expect(items.every((item) => item.error?.retryable)).to.equal(true);
      if (status !== 200) expect(items[0]?.error?.status).to.equal(status);
      el.tokenEndpoint = '/api/convert-token';
      expect((await retryAll(el, 3)).map((item) => item.status)).to.deep.equal(['done', 'done', 'done']);
    });
  }

  it('token endpoint slow (2 s): waits, no failure, one call for the batch', async () => {
    const el = await uploader('/__test/token/slow');
    el.addFiles(three());
    const items = await settled(el, 3);
    expect(items.map((item) => item.status)).to.deep.equal(['done', 'done', 'done']);
    expect((await tokenCalls())['slow']).to.equal(1);
  });

  for (const [status, headers] of [
    [500, {}],
    [503, { 'Retry-After': '1' }],
    [429, { 'Retry-After': '1' }],
  ] as const) {
    it(`service ${status} on the conversion, then success`, async () => {
      const el = await uploader();
      const mark = await logMark();
      await addFaults([
        {
          match: { service: 'convertapi', path: '/convert/*' },
          times: 1,
          action: { status, headers, body: { Code: status === 500 ? 5001 : status, Message: 'Not now.' } },
        },
      ]);
      el.addFiles(three());
      let items = await settled(el, 3);
      if (status === 500) {
        // A plain 500 is the service's verdict on that file: it fails, the others finish, Retry converts it.
        expect(items.filter((item) => item.status === 'error').map((item) => item.error?.code)).to.deep.equal(
          ['conversion-failed'],
        );
        items = await retryAll(el, 3);
      }
      expect(items.map((item) => item.status)).to.deep.equal(['done', 'done', 'done']);
      const log = await sandboxRequests(mark);
      expect(
        conversions(log)
          .map((entry) => entry.status)
          .filter((code) => code !== 200),
      ).to.deep.equal([status]);
      expectNoDuplicateConversions(log);
    });
  }

  it('connection reset halfway through an upload: the upload is sent again and the file converts', async () => {
    const el = await uploader();
    const mark = await logMark();
    await addFaults([
      { match: { service: 'convertapi', path: '/upload' }, times: 1, action: { resetAfterBytes: 100_000 } },
    ]);
    el.addFiles([makeFile('big.txt', 'x'.repeat(300_000)), makeFile('small.txt', 's')]);
    const items = await settled(el, 2);
    expect(items.map((item) => item.status)).to.deep.equal(['done', 'done']);
    const log = await sandboxRequests(mark);
    expect(
      log.filter((entry) => entry.method === 'POST' && entry.path.startsWith('/upload')).length,
    ).to.equal(3);
    expectNoDuplicateConversions(log);
  });

  it('a healthy slow link (50 KB/s) is not timed out, and progress keeps moving', async () => {
    const el = await uploader();
    const progress: number[] = [];
    el.addEventListener('convert-progress', (event) => {
      if (event.detail.phase === 'upload') progress.push(event.detail.progress ?? 0);
    });
    await addFaults([
      {
        match: { service: 'convertapi', path: '/upload' },
        times: 1,
        action: { throttleBytesPerSec: 50_000 },
      },
    ]);
    el.addFiles([makeFile('slow.txt', 'y'.repeat(250_000))]);
    const [item] = await settled(el, 1, 50_000);
    expect(item?.status).to.equal('done');
    expect(progress.at(-1)).to.equal(1);
  });

  for (const [what, action] of [
    ['malformed JSON', { malformed: true }],
    [
      'a response missing fields',
      { status: 200, body: { ConversionCost: 1, Files: [{ FileName: 'x.pdf' }] } },
    ],
    [
      'a result link that is not https',
      { status: 200, body: { Files: [{ FileName: 'x.pdf', Url: 'javascript:alert(1)' }] } },
    ],
  ] as const) {
    it(`${what} from the conversion: invalid-response, no automatic repeat, Retry works`, async () => {
      const el = await uploader();
      const mark = await logMark();
      await addFaults([{ match: { service: 'convertapi', path: '/convert/*' }, times: 1, action }]);
      el.addFiles([makeFile('a.txt', 'A'), makeFile('b.txt', 'B')]);
      const items = await settled(el, 2);
      const failed = items.filter((item) => item.status === 'error');
      expect(failed.map((item) => item.error?.code)).to.deep.equal(['invalid-response']);
      expect(items.filter((item) => item.status === 'done')).to.have.length(1);
      expect(conversions(await sandboxRequests(mark))).to.have.length(2);
      await el.updateComplete;
      expect(el.shadowRoot!.querySelectorAll('a[href^="javascript:"]')).to.have.length(0);
      expect((await retryAll(el, 2)).map((item) => item.status)).to.deep.equal(['done', 'done']);
    });
  }

  it('a redirect of the convert call is not followed: the credential goes nowhere else, and the file fails', async () => {
    const el = await uploader();
    const { convertapiBase } = await backendInfo();
    const mark = await logMark();
    await addFaults([
      {
        match: { service: 'convertapi', method: 'POST', path: '/convert/*' },
        action: { status: 307, headers: { location: `${convertapiBase}/elsewhere` } },
      },
    ]);
    el.addFiles([makeFile('one.txt', '1')]);
    const [item] = await settled(el, 1);
    expect(item?.status).to.equal('error');
    const log = await sandboxRequests(mark);
    expect(log.filter((entry) => entry.path.includes('elsewhere'))).to.deep.equal([]);
    expect(conversions(log).length).to.be.at.least(1);
  });

  it('a result link that 404s: the preview is dropped quietly and the row keeps its link', async () => {
    const { convertapiBase } = await backendInfo();
    const el = await fixture<ConvertUploader>(
      html`<convert-uploader
        to="png"
        token-endpoint="/api/convert-token"
        api-base=${convertapiBase}
      ></convert-uploader>`,
    );
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 4;
    const blob = await new Promise<Blob>((resolve) => {
      canvas.toBlob((value) => {
        resolve(value!);
      }, 'image/webp');
    });
    await addFaults([
      {
        match: { service: 'convertapi', method: 'GET', path: '/d/*' },
        action: { status: 404, body: 'Not Found' },
      },
    ]);
    // Every preview the row ever shows, even one that is gone again by the time the file settles.
    const shownPreviews: string[] = [];
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (!(node instanceof Element)) continue;
          const previews = [node, ...node.querySelectorAll('*')].filter(
            (element) => element.getAttribute('part') === 'preview',
          );
          for (const preview of previews) shownPreviews.push(preview.getAttribute('src') ?? '');
        }
      }
    });
    observer.observe(el.shadowRoot!, { childList: true, subtree: true });
    const mark = await logMark();
    el.addFiles([new File([blob], 'tiny.webp', { type: 'image/webp' })]);
    const [item] = await settled(el, 1);
    expect(item?.status).to.equal('done');
    const resultUrl = item?.results?.[0]?.url;
    expect(resultUrl).to.be.a('string');
    await until(() => el.shadowRoot!.querySelector('[part="preview"]') === null, 'the broken preview to go');
    observer.disconnect();
    // A preview of the result was shown, its load hit the 404 fault, and then it went.
    expect(shownPreviews).to.deep.equal([resultUrl]);
    const resultPath = new URL(resultUrl!).pathname;
    const loads = (await sandboxRequests(mark)).filter(
      (entry) => entry.method === 'GET' && entry.path.startsWith('/d/') && resultPath.endsWith(entry.path),
    );
    expect(loads.length).to.be.greaterThan(0);
    expect(loads.every((entry) => entry.status === 404 && entry.fault === true)).to.equal(true);
    const link = el.shadowRoot!.querySelector<HTMLAnchorElement>('a[part="result"]');
    expect(link?.href).to.equal(resultUrl);
    expect(el.items[0]?.status).to.equal('done');
    expect(el.items[0]?.error).to.equal(undefined);
  });

  it('the credential expires in the middle of a batch: renewed, no failed file', async () => {
    const el = await uploader('/__test/token/expiring?seconds=2');
    el.concurrency = 1;
    await addFaults([
      { match: { service: 'convertapi', path: '/convert/*' }, times: 1, action: { delayMs: 1500 } },
    ]);
    el.addFiles(three());
    const items = await settled(el, 3);
    expect(items.map((item) => item.status)).to.deep.equal(['done', 'done', 'done']);
    expect((await tokenCalls())['expiring']).to.be.at.least(2);
  });
});
