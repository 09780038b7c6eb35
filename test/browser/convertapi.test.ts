import { expect } from '@open-wc/testing';
import { html } from 'lit';
import { ConvertEvents } from '../../src/index.js';
import type { ConvertProgressDetail, ConvertUploader } from '../../src/index.js';
import {
  addFaults,
  backendInfo,
  logMark,
  resetBackend,
  sandboxRequests,
  settled,
  knownSecrets,
  tokenCalls,
  until,
  watchUploadProgress,
} from './support/backend-client.js';
import { findLeaks } from './support/credential-scan.js';
import { fixture, makeFile } from './support/fixture.js';
import { errorEvents, firstBytes } from './support/results.js';

async function uploader(
  tokenEndpoint: string,
  extra: Partial<ConvertUploader> = {},
): Promise<ConvertUploader> {
  const { convertapiBase } = await backendInfo();
  const el = await fixture<ConvertUploader>(
    html`<convert-uploader
      provider="convertapi"
      to="pdf"
      multiple
      token-endpoint=${tokenEndpoint}
      api-base=${convertapiBase}
    ></convert-uploader>`,
  );
  Object.assign(el, extra);
  await el.updateComplete;
  return el;
}

/** The sandbox's log of requests after `mark`, without CORS preflights. */
async function serviceCalls(mark: number) {
  return (await sandboxRequests(mark)).filter((entry) => entry.method !== 'OPTIONS');
}

function bigText(bytes: number): string {
  return 'convert-uploader '.repeat(Math.ceil(bytes / 17)).slice(0, bytes);
}

describe('ConvertAPI end to end (sandbox and server kit)', function () {
  this.timeout(30_000);

  beforeEach(async () => {
    await resetBackend();
  });

  it('converts one file: upload, convert, a downloadable PDF, events in order', async () => {
    const el = await uploader('/api/convert-token');
    const events: string[] = [];
    for (const name of ['convert-added', 'convert-success', 'convert-complete', 'convert-error']) {
      el.addEventListener(name, () => events.push(name));
    }
    const mark = await logMark();
    el.addFiles([makeFile('hello.txt', 'Hello, PDF!')]);
    const [item] = await settled(el, 1);
    expect(item?.status).to.equal('done');
    expect(item?.results?.[0]).to.include({ name: 'hello.pdf', format: 'pdf' });
    const calls = (await serviceCalls(mark)).map((entry) => `${entry.method} ${entry.path.split('?')[0]}`);
    expect(calls).to.deep.equal(['POST /upload', 'POST /convert/txt/to/pdf']);
    expect(await firstBytes(item!.results![0]!.url)).to.equal('%PDF-');
    await until(() => events.includes('convert-complete'), 'convert-complete');
    expect(events).to.deep.equal(['convert-added', 'convert-success', 'convert-complete']);

    await el.updateComplete;
    const link = el.shadowRoot!.querySelector<HTMLAnchorElement>('a[part="result"]');
    expect(link?.href).to.equal(item!.results![0]!.url);
    expect(link?.textContent).to.contain('hello.pdf');
  });

  it('converts several files with one token endpoint call when the host grants enough uses', async () => {
    const el = await uploader('/__test/token/counted', { concurrency: 2 });
    const mark = await logMark();
    el.addFiles([makeFile('a.txt', 'A'), makeFile('b.md', '# B'), makeFile('c.txt', 'C')]);
    const items = await settled(el, 3);
    expect(items.map((item) => item.status)).to.deep.equal(['done', 'done', 'done']);
    for (const item of items) expect(await firstBytes(item.results![0]!.url)).to.equal('%PDF-');
    expect((await tokenCalls())['counted']).to.equal(1);
    const converts = (await serviceCalls(mark)).filter((entry) => entry.path.startsWith('/convert/'));
    expect(converts).to.have.length(3);
    expect(
      converts.every((entry) => entry.credential.kind === 'jwt' && entry.credential.where === 'header'),
    ).to.equal(true);
  });

  it('takes one token for a batch of same-format files (sandbox log: one /token/create for N files)', async () => {
    const el = await uploader('/__test/token/token-mode', { concurrency: 3 });
    const mark = await logMark();
    el.addFiles([makeFile('a.txt', 'A'), makeFile('b.txt', 'B'), makeFile('c.txt', 'C')]);
    const items = await settled(el, 3);
    expect(items.map((item) => item.status)).to.deep.equal(['done', 'done', 'done']);
    const log = await serviceCalls(mark);
    expect(log.filter((entry) => entry.path.startsWith('/token/create'))).to.have.length(1);
    expect(log.filter((entry) => entry.path.startsWith('/convert/'))).to.have.length(3);
    expect((await tokenCalls())['token-mode']).to.equal(1);
  });

  it('reports upload progress that never goes back and reaches 1', async () => {
    const el = await uploader('/api/convert-token');
    const progress: ConvertProgressDetail[] = [];
    el.addEventListener('convert-progress', (event) => progress.push(event.detail));
    // Large enough to outlast the loopback socket buffers, so the browser reports progress as it goes;
    // a format the sandbox does not convert, so that the test measures the upload only.
    await addFaults([
      {
        match: { service: 'convertapi', path: '/upload' },
        times: 1,
        action: { throttleBytesPerSec: 4_000_000 },
      },
    ]);
    el.addFiles([makeFile('large.bin', bigText(12_000_000))]);
    const [item] = await settled(el, 1);
    expect(item?.error?.code).to.equal('conversion-unsupported');
    const upload = progress
      .filter((detail) => detail.phase === 'upload')
      .map((detail) => detail.progress ?? 0);
    expect(upload.length).to.be.greaterThan(1);
    for (let index = 1; index < upload.length; index += 1)
      expect(upload[index]).to.be.at.least(upload[index - 1]!);
    expect(upload.at(-1)).to.equal(1);
  });

  it('renews a credential that expires in the middle of a batch, without a failed file', async () => {
    const el = await uploader('/__test/token/expiring?seconds=2', { concurrency: 1 });
    await addFaults([
      { match: { service: 'convertapi', path: '/convert/*' }, times: 1, action: { delayMs: 1500 } },
    ]);
    el.addFiles([makeFile('a.txt', 'A'), makeFile('b.txt', 'B')]);
    const items = await settled(el, 2);
    expect(items.map((item) => item.status)).to.deep.equal(['done', 'done']);
    expect((await tokenCalls())['expiring']).to.equal(2);
  });

  it('on 4011 drops the credential, fetches a fresh one and replays the conversion once', async () => {
    const el = await uploader('/__test/token/counted');
    const seen = errorEvents(el);
    await addFaults([
      {
        match: { service: 'convertapi', path: '/convert/*' },
        times: 1,
        action: { status: 401, body: { Code: 4011, Message: 'Invalid user credentials - bad token.' } },
      },
    ]);
    el.addFiles([makeFile('a.txt', 'A')]);
    const [item] = await settled(el, 1);
    expect(item?.status).to.equal('done');
    expect(seen).to.have.length(0);
    expect((await tokenCalls())['counted']).to.equal(2);
  });

  it('gives up with `unauthorized` when the fresh credential is refused too', async () => {
    const el = await uploader('/__test/token/counted');
    const seen = errorEvents(el);
    await addFaults([
      {
        match: { service: 'convertapi', path: '/convert/*' },
        times: 2,
        action: { status: 401, body: { Code: 4012, Message: 'Invalid user credentials - bad JWT token.' } },
      },
    ]);
    el.addFiles([makeFile('a.txt', 'A')]);
    const [item] = await settled(el, 1);
    expect(item?.status).to.equal('error');
    expect(item?.error).to.include({ code: 'unauthorized', status: 401, providerCode: 4012 });
    expect(seen[0]?.detail.error.code).to.equal('unauthorized');
    expect((await tokenCalls())['counted']).to.equal(2);
  });

  for (const [route, what] of [
    ['long-lived', 'a JWT valid for two hours'],
    ['cloudconvert-api-key', 'a CloudConvert API key'],
    ['secret-field', 'an answer with a `secret` field'],
  ] as const) {
    it(`refuses ${what} (token-rejected) and never calls the service with it`, async () => {
      const el = await uploader(`/__test/token/${route}`);
      const seen = errorEvents(el);
      const mark = await logMark();
      el.addFiles([makeFile('a.txt', 'A')]);
      const [item] = await settled(el, 1);
      expect(item?.error?.code).to.equal('token-rejected');
      expect(seen[0]?.detail.error).to.include({ code: 'token-rejected', retryable: false });
      const log = await sandboxRequests(mark);
      expect(log.filter((entry) => entry.path.startsWith('/convert/'))).to.have.length(0);
    });
  }

  for (const [endpoint, what] of [
    ['http://127.0.0.1:9/api/convert-token', 'is down'],
    ['/__test/token/html', 'answers HTML instead of JSON'],
    ['/__test/token/status-500', 'answers 500'],
  ] as const) {
    it(`fails the file with token-endpoint-failed when the endpoint ${what}, and Retry works once it is fixed`, async () => {
      const el = await uploader(endpoint);
      el.addFiles([makeFile('a.txt', 'A')]);
      const [item] = await settled(el, 1);
      expect(item?.error).to.include({ code: 'token-endpoint-failed', retryable: true });
      await el.updateComplete;
      const message = el.shadowRoot!.querySelector('[part="error"]')?.textContent;
      expect(message).to.equal('Could not get permission to convert. Please try again.');

      el.tokenEndpoint = '/api/convert-token';
      await el.updateComplete;
      el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Retry a.txt"]')!.click();
      const [retried] = await settled(el, 1);
      expect(retried?.status).to.equal('done');
    });
  }

  it('gives up on a token endpoint that does not answer (timeout)', async function () {
    this.timeout(45_000);
    const el = await uploader('/__test/token/hang');
    el.addFiles([makeFile('a.txt', 'A')]);
    const [item] = await settled(el, 1, 40_000);
    expect(item?.error?.code).to.equal('token-endpoint-failed');
  });

  it('waits out a 503 with Retry-After and then succeeds', async () => {
    const el = await uploader('/api/convert-token');
    const mark = await logMark();
    await addFaults([
      {
        match: { service: 'convertapi', path: '/convert/*' },
        times: 1,
        action: { status: 503, headers: { 'Retry-After': '1' }, body: { Code: 5000, Message: 'Throttled' } },
      },
    ]);
    el.addFiles([makeFile('a.txt', 'A')]);
    const [item] = await settled(el, 1);
    expect(item?.status).to.equal('done');
    const converts = (await serviceCalls(mark)).filter((entry) => entry.path.startsWith('/convert/'));
    expect(converts.map((entry) => entry.status)).to.deep.equal([503, 200]);
  });

  it('cancels mid-upload: the request is aborted and the file is canceled; Retry converts it', async () => {
    const el = await uploader('/api/convert-token');
    const mark = await logMark();
    await addFaults([
      {
        match: { service: 'convertapi', path: '/upload' },
        times: 1,
        action: { throttleBytesPerSec: 50_000 },
      },
    ]);
    const uploadUnderWay = watchUploadProgress(el);
    el.addFiles([makeFile('slow.txt', bigText(400_000))]);
    await uploadUnderWay();
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[aria-label="Cancel slow.txt"]')!.click();
    const [item] = await settled(el, 1);
    expect(item?.status).to.equal('canceled');
    const uploads = (await sandboxRequests(mark)).filter((entry) => entry.path.startsWith('/upload'));
    expect(uploads.every((entry) => entry.status !== 200)).to.equal(true);
    expect(
      (await sandboxRequests(mark)).filter((entry) => entry.path.startsWith('/convert/')),
    ).to.have.length(0);

    el.retry(item!.id);
    const [retried] = await settled(el, 1);
    expect(retried?.status).to.equal('done');
  });

  it('keeps other files going when one fails, and Retry recovers the failed one', async () => {
    const el = await uploader('/api/convert-token', { concurrency: 1 });
    await addFaults([
      {
        match: { service: 'convertapi', path: '/convert/*' },
        times: 1,
        action: { status: 500, body: { Code: 5001, Message: 'Conversion failed.' } },
      },
    ]);
    el.addFiles([makeFile('first.txt', '1'), makeFile('second.txt', '2')]);
    const items = await settled(el, 2);
    expect(items.map((item) => item.status)).to.deep.equal(['error', 'done']);
    expect(items[0]?.error).to.include({ code: 'conversion-failed', providerCode: 5001, retryable: true });
    el.retry();
    const retried = await settled(el, 2);
    expect(retried.map((item) => item.status)).to.deep.equal(['done', 'done']);
  });

  it('reports an unsupported conversion without retrying it', async () => {
    const el = await uploader('/api/convert-token');
    el.to = 'docx';
    el.addFiles([makeFile('a.txt', 'A')]);
    const [item] = await settled(el, 1);
    expect(item?.error?.code).to.equal('conversion-unsupported');
    expect(item?.error?.retryable).to.equal(false);
  });

  it('leaves no credential in the DOM, attributes, storage, cookies, console, resource URLs or request URLs', async () => {
    // This route records each token it hands out in `knownSecrets()` (the kit routes' tokens are not
    // recorded there: their answer is streamed past the backend's recorder).
    const el = await uploader('/__test/token/expiring?seconds=600', { concurrency: 2 });
    const before = new Set(await knownSecrets());
    const mark = await logMark();
    const failures = errorEvents(el);
    // Every event's detail, serialized when it is dispatched.
    const told: { name: string; detail: string }[] = [];
    for (const name of Object.values(ConvertEvents)) {
      el.addEventListener(name, (event) => {
        told.push({ name, detail: JSON.stringify((event as CustomEvent<unknown>).detail) });
      });
    }
    el.addFiles([makeFile('a.txt', 'A'), makeFile('b.txt', 'B')]);
    const items = await settled(el, 2);
    expect(items.map((item) => item.status)).to.deep.equal(['done', 'done']);
    expect(failures).to.have.length(0);
    const secrets = await knownSecrets();
    expect(secrets.length).to.be.greaterThan(3);
    // The credential this test's files used is among what is looked for.
    expect(secrets.filter((secret) => !before.has(secret))).to.have.length.greaterThan(0);
    expect(findLeaks(secrets, await sandboxRequests(mark))).to.deep.equal([]);
    // Nor in what the page is told through events and the items snapshot.
    const seen = new Set(told.map((entry) => entry.name));
    for (const name of ['convert-added', 'convert-progress', 'convert-success', 'convert-complete']) {
      expect(seen.has(name), `${name} was dispatched`).to.equal(true);
    }
    const leakingEvents = told
      .filter((entry) => secrets.some((secret) => entry.detail.includes(secret)))
      .map((entry) => entry.name);
    expect(leakingEvents).to.deep.equal([]);
    const exposed = JSON.stringify(el.items);
    expect(secrets.some((secret) => exposed.includes(secret))).to.equal(false);
  });

  it('the scan itself finds a credential planted in a shadow root', async () => {
    const el = await uploader('/__test/token/counted');
    el.addFiles([makeFile('a.txt', 'A')]);
    await settled(el, 1);
    const [secret] = (await knownSecrets()).slice(-1);
    const planted = document.createElement('span');
    planted.textContent = secret!;
    el.shadowRoot!.append(planted);
    expect(findLeaks([secret!])).to.deep.equal(['markup holds a credential']);
    planted.remove();
  });

  it('asks again for fewer files when the endpoint takes fewer at once (server kit: 25), without failing any', async () => {
    const el = await uploader('/__test/token/counted', { concurrency: 3 });
    el.addFiles(Array.from({ length: 30 }, (_, index) => makeFile(`f${index}.txt`, String(index))));
    const items = await settled(el, 30, 40_000);
    expect(items.filter((item) => item.status !== 'done')).to.have.length(0);
    expect((await tokenCalls())['counted']).to.equal(3);
  });

  it('shows upload progress in the row while it happens', async () => {
    // Markdown to HTML: a conversion that stays quick for a file big enough to outlast the socket buffers.
    const el = await uploader('/api/convert-token', { to: 'html' });
    await addFaults([
      {
        match: { service: 'convertapi', path: '/upload' },
        times: 1,
        action: { throttleBytesPerSec: 2_000_000 },
      },
    ]);
    el.addFiles([makeFile('moving.md', bigText(8_000_000))]);
    const bar = () =>
      el.shadowRoot!.querySelector<HTMLProgressElement>('progress[aria-label="Upload of moving.md"]');
    // The row's upload bar shows a part done, neither empty nor full, while the file is uploading.
    await until(() => {
      const value = bar()?.value ?? 0;
      return value > 0 && value < 1;
    }, 'the bar to show a part of the upload');
    const midway = bar()!;
    expect(el.items[0]?.status).to.equal('uploading');
    expect(midway.max).to.equal(1);
    expect(midway.getAttribute('aria-valuetext')).to.match(/^\d+\s?%$/);
    const [item] = await settled(el, 1);
    expect(item?.status, item?.error?.code).to.equal('done');
    expect(item?.uploadProgress).to.equal(1);
    expect(bar(), 'no upload bar once the file is done').to.equal(null);
  });
});
