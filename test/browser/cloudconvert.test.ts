import { expect } from '@open-wc/testing';
import { html } from 'lit';
import type { ConvertProgressDetail, ConvertUploader, TokenRequest, TokenResponse } from '../../src/index.js';
import { CloudConvertProvider } from '../../src/providers/cloudconvert.js';
import type { FileConversion } from '../../src/engine/provider-port.js';
import {
  backendInfo,
  knownSecrets,
  settled,
  until,
  type LoggedRequest,
  type SandboxFault,
  watchUploadProgress,
} from './support/backend-client.js';
import { findLeaks } from './support/credential-scan.js';
import { fixture, makeFile, pngFile } from './support/fixture.js';
import { errorEvents, firstBytes } from './support/results.js';

// These tests run beside other test files that reset the shared sandbox: they use their own sandboxes
// (behind the backend's `cc-*` routes) for faults and switches, and read call counts as differences.

type Mode = 'server-job' | 'access-token';

interface UploaderOptions {
  /** Server-job mode through the demo backend's own endpoint, on the shared sandbox. */
  demo?: boolean;
  endpoint?: string;
  apiBase?: string;
  syncBase?: string;
}

/** The sandbox a test's CloudConvert traffic goes to. */
async function sandboxOf(mode: Mode, options: UploaderOptions = {}): Promise<string> {
  const info = await backendInfo();
  return mode === 'server-job' && options.demo ? info.sandboxUrl : info.cloudconvert.sandboxUrl;
}

/** A CloudConvert uploader converting to PDF: server-job or access-token mode. */
async function uploader(mode: Mode, options: UploaderOptions = {}): Promise<ConvertUploader> {
  const { cloudconvert } = await backendInfo();
  const endpoint =
    options.endpoint ??
    (mode === 'access-token'
      ? '/__test/token/cc-access'
      : options.demo
        ? cloudconvert.jobEndpoint
        : '/__test/token/cc-job');
  const el = await fixture<ConvertUploader>(
    html`<convert-uploader
      provider="cloudconvert"
      to="pdf"
      multiple
      token-endpoint=${endpoint}
      api-base=${options.apiBase ?? cloudconvert.api}
      sync-base=${options.syncBase ?? ''}
    ></convert-uploader>`,
  );
  await el.updateComplete;
  return el;
}

/** The request log of the sandbox at `sandboxUrl`, after `since`. */
async function requestsOf(sandboxUrl: string, since = 0): Promise<LoggedRequest[]> {
  const response = await fetch(`${sandboxUrl}/__sandbox/requests?since=${since}`);
  const body = (await response.json()) as LoggedRequest[] | { requests: LoggedRequest[] };
  return Array.isArray(body) ? body : body.requests;
}

async function markOf(sandboxUrl: string): Promise<number> {
  return (await requestsOf(sandboxUrl)).at(-1)?.seq ?? 0;
}

/** CloudConvert requests after `mark`, without CORS preflights. */
async function cloudCalls(sandboxUrl: string, mark: number): Promise<LoggedRequest[]> {
  return (await requestsOf(sandboxUrl, mark)).filter(
    (entry) => entry.method !== 'OPTIONS' && entry.service.startsWith('cloudconvert'),
  );
}

/** `METHOD host path`, ids replaced by `<id>`. */
function describeCall(entry: LoggedRequest): string {
  const path = entry.path.split('?')[0]!.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>');
  return `${entry.method} ${entry.service.replace('cloudconvert-', '')} ${path}`;
}

async function addFaultsOn(sandboxUrl: string, faults: SandboxFault[]): Promise<void> {
  const response = await fetch(`${sandboxUrl}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(response.status, await response.clone().text()).to.be.within(200, 299);
}

/** Faults on the CloudConvert tests' own sandbox. */
async function addFaults(faults: SandboxFault[]): Promise<void> {
  await addFaultsOn((await backendInfo()).cloudconvert.sandboxUrl, faults);
}

/** Calls of the backend's CloudConvert routes since `counting()` was called. */
async function counting(): Promise<() => Promise<Record<string, number>>> {
  const read = async () =>
    (await (await fetch('/__test/cloudconvert-calls')).json()) as Record<string, number>;
  const before = await read();
  return async () => {
    const after = await read();
    return Object.fromEntries(Object.entries(after).map(([route, n]) => [route, n - (before[route] ?? 0)]));
  };
}

async function setStorageCors(sandboxUrl: string, on: boolean): Promise<void> {
  const response = await fetch(`${sandboxUrl}/__sandbox/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ storageCors: on }),
  });
  expect(response.status).to.equal(200);
}

async function setCredits(credits: number): Promise<void> {
  const response = await fetch('/__test/cloudconvert-account', {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ credits }),
  });
  expect(response.status).to.equal(200);
}

const threeFiles = () => [
  makeFile('a.txt', 'Alpha'),
  makeFile('b.md', '# Bravo\n\nA Markdown file.'),
  makeFile('c.html', '<h1>Charlie</h1><p>An HTML file.</p>'),
];

/**
 * Converts `picture.png` to JPG, then (after `between`) again to WebP through the "convert again"
 * form, and checks both results.
 */
async function convertTwice(el: ConvertUploader, between?: () => Promise<void>): Promise<void> {
  el.addFiles([await pngFile('picture.png', 16)]);
  const [first] = await settled(el, 1);
  expect(first?.error).to.equal(undefined);
  await between?.();
  await el.updateComplete;
  const again = el.shadowRoot!.querySelector<HTMLSelectElement>('form.again select')!;
  expect([...again.options].map((option) => option.value)).to.include('webp');
  again.value = 'webp';
  el.shadowRoot!.querySelector<HTMLButtonElement>('form.again button')!.click();
  const items = await settled(el, 2);
  expect(items.map((item) => item.results?.[0]?.name)).to.deep.equal(['picture.jpg', 'picture.webp']);
  // The WebP was made from the original PNG (16 × 16), not from an upload of it.
  const webp = await (await fetch(items[1]!.results![0]!.url)).blob();
  const text = new TextDecoder().decode(await webp.slice(0, 12).arrayBuffer());
  expect([text.slice(0, 4), text.slice(8)]).to.deep.equal(['RIFF', 'WEBP']);
  expect((await createImageBitmap(webp)).width).to.equal(16);
}

/** A server-job widget on the sandbox whose token requests go to the demo's job endpoint through `tokenProvider`. */
async function serverJobWidget(formats: string): Promise<{
  el: ConvertUploader;
  sandboxUrl: string;
  askJob: (request: TokenRequest) => Promise<TokenResponse>;
}> {
  const { cloudconvert, sandboxUrl } = await backendInfo();
  const el = await fixture<ConvertUploader>(
    html`<convert-uploader
      provider="cloudconvert"
      formats=${formats}
      to="jpg"
      api-base=${cloudconvert.api}
    ></convert-uploader>`,
  );
  const askJob = async (request: TokenRequest) => {
    const response = await fetch(cloudconvert.jobEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    return (await response.json()) as TokenResponse;
  };
  return { el, sandboxUrl, askJob };
}

/** A text of `bytes` bytes, large enough for a throttled upload to take its time. */
function bigText(bytes: number): string {
  return 'convert-uploader '.repeat(Math.ceil(bytes / 17)).slice(0, bytes);
}

describe('CloudConvert end to end (sandbox and server kit)', function () {
  this.timeout(30_000);

  beforeEach(async () => {
    await fetch('/__test/cloudconvert-reset', { method: 'POST' });
  });

  for (const mode of ['server-job', 'access-token'] as const) {
    describe(`${mode} mode`, () => {
      it('converts one file to a downloadable PDF', async () => {
        const el = await uploader(mode, { demo: true });
        const seen = errorEvents(el);
        el.addFiles([makeFile('hello.txt', 'Hello, CloudConvert!')]);
        const [item] = await settled(el, 1);
        expect(seen.map((event) => event.detail.error)).to.deep.equal([]);
        expect(item?.status).to.equal('done');
        expect(item?.results).to.have.length(1);
        expect(item?.results?.[0]).to.include({ name: 'hello.pdf', format: 'pdf' });
        expect(await firstBytes(item!.results![0]!.url)).to.equal('%PDF-');
        await el.updateComplete;
        const link = el.shadowRoot!.querySelector<HTMLAnchorElement>('a[part="result"]');
        expect(link?.href).to.equal(item!.results![0]!.url);
      });

      it('converts several files of different formats in one job', async () => {
        const el = await uploader(mode, { demo: true });
        el.addFiles(threeFiles());
        const items = await settled(el, 3);
        expect(items.map((item) => item.status)).to.deep.equal(['done', 'done', 'done']);
        expect(items.map((item) => item.results?.[0]?.name)).to.deep.equal(['a.pdf', 'b.pdf', 'c.pdf']);
        for (const item of items) expect(await firstBytes(item.results![0]!.url)).to.equal('%PDF-');
      });

      it('counts the calls of a batch: one token endpoint call, one job, one upload per file', async () => {
        const endpoint = mode === 'server-job' ? 'api:/api/cloudconvert-job' : 'cc-access';
        const sandboxUrl = await sandboxOf(mode, { demo: true });
        for (const files of [[makeFile('one.txt', 'One')], threeFiles()]) {
          const el = await uploader(mode, { demo: true });
          const mark = await markOf(sandboxUrl);
          const since = await counting();
          el.addFiles(files);
          const items = await settled(el, files.length);
          expect(items.every((item) => item.status === 'done')).to.equal(true);
          const log = await cloudCalls(sandboxUrl, mark);
          const calls = log.map(describeCall);
          const count = (prefix: string) => calls.filter((call) => call.startsWith(prefix)).length;
          const counts = await since();
          expect(counts[endpoint]).to.equal(1);
          expect(count('POST storage /tasks')).to.equal(files.length);
          // One job per batch, created by the element (access token) or by the server kit (API key).
          expect(count('POST api /v2/jobs')).to.equal(1);
          const kinds = new Set(
            log.filter((entry) => entry.service === 'cloudconvert-api').map((entry) => entry.credential.kind),
          );
          expect([...kinds]).to.deep.equal([mode === 'access-token' ? 'access-token' : 'api-key']);
          // Status reads: the element's polls, or in server-job mode the kit's reads behind the host's status route.
          const reads = count('GET api /v2/jobs/');
          expect(reads).to.be.within(1, 6);
          if (mode === 'server-job') expect(counts['api:status']).to.equal(reads);
        }
      });

      it('starts each file of a batch larger than the concurrency once: one upload per file', async () => {
        // A file stays `queued` until its provider reports a phase; the queue once started such a
        // file again when another file finished meanwhile, and both runs uploaded to its task.
        const sandboxUrl = await sandboxOf(mode, { demo: true });
        const el = await uploader(mode, { demo: true });
        const mark = await markOf(sandboxUrl);
        const files = Array.from({ length: 12 }, (_, index) =>
          makeFile(`file-${index}.txt`, `file ${index}`),
        );
        el.addFiles(files);
        const items = await settled(el, files.length);
        expect(items.map((item) => item.status)).to.deep.equal(files.map(() => 'done'));
        const calls = (await cloudCalls(sandboxUrl, mark)).map(describeCall);
        expect(calls.filter((call) => call === 'POST storage /tasks')).to.have.length(files.length);
        expect(calls.filter((call) => call === 'POST api /v2/jobs')).to.have.length(1);
      });

      it('reports convert progress from the task percents, never going back', async () => {
        const el = await uploader(mode, {
          endpoint: mode === 'server-job' ? '/__test/token/cc-job-slow' : '/__test/token/cc-short',
          apiBase: (await backendInfo()).cloudconvert.shortApi,
        });
        const progress: number[] = [];
        el.addEventListener('convert-progress', (event) => {
          const { phase, progress: value } = event.detail;
          if (phase === 'convert' && value !== null) progress.push(value);
        });
        el.addFiles([makeFile('slow.txt', 'Takes four seconds in this sandbox.')]);
        const [item] = await settled(el, 1);
        expect(item?.status).to.equal('done');
        expect(item?.convertProgress).to.equal(1);
        const between = progress.filter((value) => value > 0 && value < 1);
        expect(new Set(between).size).to.be.at.least(2);
        for (let index = 1; index < progress.length; index += 1) {
          expect(progress[index]).to.be.at.least(progress[index - 1]!);
        }
      });

      it('uploads without a preflight when the storage host answers no CORS, and still converts', async () => {
        const el = await uploader(mode);
        const sandboxUrl = await sandboxOf(mode);
        const mark = await markOf(sandboxUrl);
        const progress: ConvertProgressDetail[] = [];
        el.addEventListener('convert-progress', (event) => progress.push(event.detail));
        await setStorageCors(sandboxUrl, false);
        try {
          el.addFiles([makeFile('a.txt', 'A'), makeFile('b.txt', 'B')]);
          const items = await settled(el, 2);
          expect(items.map((item) => item.status)).to.deep.equal(['done', 'done']);
        } finally {
          await setStorageCors(sandboxUrl, true);
        }
        // (Read back with CORS on again: this page's fetch needs it, a visitor's download link does not.)
        for (const item of el.items) expect(await firstBytes(item.results![0]!.url)).to.equal('%PDF-');
        const storage = (await requestsOf(sandboxUrl, mark)).filter(
          (entry) => entry.service === 'cloudconvert-storage' && entry.path === '/tasks',
        );
        // A refused preflight (403), or, while the browser still trusts an earlier preflight, a post whose
        // answer it hides; then the plain form posts. Each import task accepts one file (201), a repeated
        // post is refused (403); none carries a credential.
        const statuses = (method: string) =>
          storage.filter((entry) => entry.method === method).map((entry) => entry.status);
        expect(statuses('OPTIONS').every((status) => status === 403)).to.equal(true);
        expect(statuses('POST').filter((status) => status === 201)).to.have.length(2);
        expect(statuses('POST').every((status) => status === 201 || status === 403)).to.equal(true);
        expect(storage.every((entry) => entry.credential.kind === 'none')).to.equal(true);
        const uploads = progress
          .filter((detail) => detail.phase === 'upload')
          .map((detail) => detail.progress);
        expect(uploads.at(-1)).to.equal(1);
      });

      it('fails only the file whose import failed (upload-failed, once), its batch-mate converts', async () => {
        const el = await uploader(mode);
        const seen = errorEvents(el);
        const sandboxUrl = await sandboxOf(mode);
        // Storage CORS off: the outcome of a blind upload comes from the import task's status.
        await setStorageCors(sandboxUrl, false);
        await addFaults([
          {
            match: { service: 'cloudconvert-storage', method: 'POST', path: '/tasks' },
            action: { throttleBytesPerSec: 100_000 },
          },
        ]);
        try {
          el.addFiles([makeFile('small.txt', 'Small'), makeFile('big.txt', bigText(400_000))]);
          await until(() => el.items.every((item) => item.status === 'uploading'), 'both uploading');
          await new Promise((resolve) => setTimeout(resolve, 800));
          const canceled = (await (
            await fetch('/__test/cloudconvert-cancel-waiting-uploads', { method: 'POST' })
          ).json()) as string[];
          expect(canceled).to.deep.equal(['import-1']);
          const items = await settled(el, 2);
          expect(items.map((item) => item.status)).to.deep.equal(['done', 'error']);
          expect(items[1]?.error).to.include({ code: 'upload-failed', providerCode: 'CANCELLED' });
          expect(seen.map((event) => [event.detail.item.name, event.detail.error.code])).to.deep.equal([
            ['big.txt', 'upload-failed'],
          ]);
        } finally {
          await setStorageCors(sandboxUrl, true);
        }
      });

      it('maps task errors per file: unsupported, failed, and a batch-mate that converts', async () => {
        const el = await uploader(mode);
        const seen = errorEvents(el);
        el.addFiles([
          makeFile('data.bin', 'no converter for this'),
          makeFile('fine.txt', 'Fine'),
          makeFile('broken.png', 'not a PNG', 'image/png'),
        ]);
        const items = await settled(el, 3);
        expect(items.map((item) => item.status)).to.deep.equal(['error', 'done', 'error']);
        // The export tasks end with INPUT_TASK_FAILED; each file reports its own convert task's code.
        expect(items[0]?.error).to.include({
          code: 'conversion-unsupported',
          providerCode: 'INVALID_CONVERSION_TYPE',
          retryable: false,
        });
        expect(items[2]?.error).to.include({ code: 'conversion-failed', retryable: true });
        expect(items[2]?.error?.providerCode).to.not.equal('INPUT_TASK_FAILED');
        expect(seen.map((event) => event.detail.item.name).sort()).to.deep.equal(['broken.png', 'data.bin']);
      });

      it('leaves no credential in the DOM, attributes, storage, cookies, console, resource URLs or request URLs', async () => {
        const el = await uploader(mode, { demo: true });
        const sandboxUrl = await sandboxOf(mode, { demo: true });
        const mark = await markOf(sandboxUrl);
        const since = await counting();
        el.addFiles([makeFile('a.txt', 'A'), makeFile('b.md', '# B')]);
        const items = await settled(el, 2);
        expect(items.map((item) => item.status)).to.deep.equal(['done', 'done']);
        const secrets = await knownSecrets();
        expect(secrets.length).to.be.greaterThan(5);
        if (mode === 'access-token') {
          // The access tokens this test used are among them, so the scan can find them.
          expect((await since())['cc-access']).to.equal(1);
        }
        const log = await cloudCalls(sandboxUrl, mark);
        expect(findLeaks(secrets, log)).to.deep.equal([]);
        const exposed = JSON.stringify(el.items);
        expect(secrets.some((secret) => exposed.includes(secret))).to.equal(false);
        if (mode === 'server-job') {
          // No CloudConvert credential reaches the browser at all: the api host only saw the kit's API key.
          const api = log.filter((entry) => entry.service !== 'cloudconvert-storage');
          expect(api.every((entry) => entry.credential.kind === 'api-key')).to.equal(true);
        }
      });
    });
  }

  describe('access-token mode', () => {
    it('renews an access token that expires in the middle of a job, without a failed file', async () => {
      const { cloudconvert } = await backendInfo();
      const el = await uploader('access-token', {
        endpoint: '/__test/token/cc-short',
        apiBase: cloudconvert.shortApi,
      });
      const seen = errorEvents(el);
      const since = await counting();
      el.addFiles([makeFile('a.txt', 'A'), makeFile('b.txt', 'B')]);
      const items = await settled(el, 2);
      expect(items.map((item) => item.status)).to.deep.equal(['done', 'done']);
      expect(seen).to.have.length(0);
      // Conversions take 4 s there and tokens live 3 s: the job outlived the first token.
      expect((await since())['cc-short']).to.be.at.least(2);
    });

    it('on 401 drops the token, fetches a fresh one and replays the request once', async () => {
      const el = await uploader('access-token');
      const seen = errorEvents(el);
      const sandboxUrl = await sandboxOf('access-token');
      const mark = await markOf(sandboxUrl);
      const since = await counting();
      await addFaults([
        {
          match: { service: 'cloudconvert-api', method: 'POST', path: '/v2/jobs' },
          times: 1,
          action: { status: 401, body: { message: 'Unauthenticated.', code: 'UNAUTHENTICATED' } },
        },
        {
          match: { service: 'cloudconvert-api', method: 'GET', path: '/v2/jobs/*' },
          times: 1,
          action: { status: 401, body: { message: 'Unauthenticated.', code: 'UNAUTHENTICATED' } },
        },
      ]);
      el.addFiles([makeFile('a.txt', 'A')]);
      const [item] = await settled(el, 1);
      expect(item?.status).to.equal('done');
      expect(seen).to.have.length(0);
      expect((await since())['cc-access']).to.equal(3);
      const api = (await cloudCalls(sandboxUrl, mark)).filter(
        (entry) => entry.service === 'cloudconvert-api',
      );
      expect(api.slice(0, 2).map((entry) => entry.status)).to.deep.equal([401, 201]);
    });

    it('gives up with `unauthorized` when the fresh token is refused too, without creating a job', async () => {
      const el = await uploader('access-token');
      const seen = errorEvents(el);
      const since = await counting();
      await addFaults([
        {
          match: { service: 'cloudconvert-api', method: 'POST', path: '/v2/jobs' },
          times: 2,
          action: { status: 401, body: { message: 'Unauthenticated.', code: 'UNAUTHENTICATED' } },
        },
      ]);
      el.addFiles([makeFile('a.txt', 'A')]);
      const [item] = await settled(el, 1);
      expect(item?.error).to.include({ code: 'unauthorized', status: 401, providerCode: 'UNAUTHENTICATED' });
      expect(seen[0]?.detail.error.code).to.equal('unauthorized');
      expect((await since())['cc-access']).to.equal(2);
    });

    it('maps CREDITS_EXCEEDED (402) to quota-exceeded, not retryable', async () => {
      const el = await uploader('access-token');
      await setCredits(0);
      try {
        el.addFiles([makeFile('a.txt', 'A')]);
        const [item] = await settled(el, 1);
        expect(item?.error).to.include({
          code: 'quota-exceeded',
          status: 402,
          providerCode: 'CREDITS_EXCEEDED',
          retryable: false,
        });
      } finally {
        await setCredits(1000);
      }
    });

    it('waits out a 429, then converts', async () => {
      const el = await uploader('access-token');
      const sandboxUrl = await sandboxOf('access-token');
      const mark = await markOf(sandboxUrl);
      await addFaults([
        {
          match: { service: 'cloudconvert-api', method: 'POST', path: '/v2/jobs' },
          times: 1,
          action: {
            status: 429,
            headers: { 'Retry-After': '1' },
            body: { message: 'Too Many Attempts.', code: 'TOO_MANY_REQUESTS' },
          },
        },
      ]);
      // Retry-After is honoured where the browser may read it: the sandbox's api host (like, as far as is
      // known, the real one) does not expose it cross-origin, so here the element's own backoff applies.
      el.addFiles([makeFile('a.txt', 'A')]);
      const [item] = await settled(el, 1);
      expect(item?.status).to.equal('done');
      const creates = (await cloudCalls(sandboxUrl, mark)).filter(
        (entry) => entry.method === 'POST' && entry.path === '/v2/jobs',
      );
      expect(creates.map((entry) => entry.status)).to.deep.equal([429, 201]);
    });

    it('reports rate-limited when 429s go on', async () => {
      const el = await uploader('access-token');
      await addFaults([
        {
          match: { service: 'cloudconvert-api', method: 'POST', path: '/v2/jobs' },
          times: 4,
          action: { status: 429, headers: { 'Retry-After': '0' }, body: { message: 'Too Many Attempts.' } },
        },
      ]);
      el.addFiles([makeFile('a.txt', 'A')]);
      const [item] = await settled(el, 1);
      expect(item?.error).to.include({ code: 'rate-limited', status: 429, retryable: true });
    });

    for (const [message, errors422, code] of [
      [
        'The given data was invalid.',
        { 'tasks.convert-0.output_format': ['The output format is invalid.'] },
        'conversion-unsupported',
      ],
      [
        'The given data was invalid.',
        { 'tasks.convert-0.pages': ['The pages must be a string.'] },
        'conversion-failed',
      ],
    ] as const) {
      it(`maps a 422 on job creation to ${code} as its message says`, async () => {
        const el = await uploader('access-token');
        await addFaults([
          {
            match: { service: 'cloudconvert-api', method: 'POST', path: '/v2/jobs' },
            times: 1,
            action: { status: 422, body: { message, code: 'INVALID_DATA', errors: errors422 } },
          },
        ]);
        el.addFiles([makeFile('a.txt', 'A')]);
        const [item] = await settled(el, 1);
        expect(item?.error).to.include({ code, status: 422, providerCode: 'INVALID_DATA', retryable: false });
      });
    }

    it('refuses a malformed answer with invalid-response', async () => {
      const el = await uploader('access-token');
      await addFaults([
        {
          match: { service: 'cloudconvert-api', method: 'POST', path: '/v2/jobs' },
          times: 1,
          action: { malformed: true },
        },
      ]);
      el.addFiles([makeFile('a.txt', 'A')]);
      const [item] = await settled(el, 1);
      expect(item?.error?.code).to.equal('invalid-response');
    });

    it('refuses a result link that is not https (invalid-response)', async () => {
      const el = await uploader('access-token');
      const task = (name: string, operation: string, result: unknown = null) => ({
        id: `id-${name}`,
        name,
        operation,
        status: 'finished',
        percent: 100,
        result,
      });
      await addFaults([
        {
          match: { service: 'cloudconvert-api', method: 'GET', path: '/v2/jobs/*' },
          times: 1,
          action: {
            status: 200,
            body: {
              data: {
                id: 'job',
                tasks: [
                  task('import-0', 'import/upload'),
                  task('convert-0', 'convert'),
                  task('export-0', 'export/url', {
                    files: [{ filename: 'a.pdf', url: 'http://example.com/a.pdf' }],
                  }),
                ],
              },
            },
          },
        },
      ]);
      el.addFiles([makeFile('a.txt', 'A')]);
      const [item] = await settled(el, 1);
      expect(item?.error?.code).to.equal('invalid-response');
    });

    it('waits on the sync host for its own export task when sync-base is set', async () => {
      const { cloudconvert } = await backendInfo();
      const el = await uploader('access-token', { syncBase: cloudconvert.sync });
      const mark = await markOf(cloudconvert.sandboxUrl);
      el.addFiles([makeFile('a.txt', 'A'), makeFile('b.txt', 'B')]);
      const items = await settled(el, 2);
      expect(items.map((item) => item.status)).to.deep.equal(['done', 'done']);
      const calls = (await cloudCalls(cloudconvert.sandboxUrl, mark)).map(describeCall);
      expect(calls.filter((call) => call.startsWith('GET sync /v2/tasks/<id>'))).to.have.length(2);
      expect(calls.filter((call) => call.startsWith('GET api'))).to.have.length(0);
    });

    it('converts a result again to another format without a second upload: the new job imports the original (sync host)', async () => {
      const { cloudconvert } = await backendInfo();
      const el = await fixture<ConvertUploader>(
        html`<convert-uploader
          provider="cloudconvert"
          formats="jpg,webp,pdf"
          to="jpg"
          token-endpoint="/__test/token/cc-access"
          api-base=${cloudconvert.api}
          sync-base=${cloudconvert.sync}
        ></convert-uploader>`,
      );
      const mark = await markOf(cloudconvert.sandboxUrl);
      await convertTwice(el);
      const calls = (await cloudCalls(cloudconvert.sandboxUrl, mark)).map(describeCall);
      expect(calls.filter((call) => call === 'POST storage /tasks')).to.have.length(1);
      expect(calls.filter((call) => call === 'POST api /v2/jobs')).to.have.length(2);
      // On the sync host the original's export URL is read only now, when it is needed.
      expect(calls.filter((call) => call === 'GET api /v2/tasks/<id>')).to.have.length(1);
      const { accessToken } = (await (await fetch('/__test/token/cc-access', { method: 'POST' })).json()) as {
        accessToken: string;
      };
      const jobs = (await (
        await fetch(`${cloudconvert.api}/jobs?include=tasks`, {
          headers: { authorization: `Bearer ${accessToken}` },
        })
      ).json()) as { data: Array<{ tasks: Array<{ name: string; operation: string }> }> };
      const imports = jobs.data
        .slice(0, 2)
        .map((job) => job.tasks.find((task) => task.name === 'import-0')?.operation);
      expect(imports).to.deep.equal(['import/url', 'import/upload']);
    });

    it('uploads again when the earlier export is close to expiry or from another api host', async () => {
      const { cloudconvert } = await backendInfo();
      const provider = new CloudConvertProvider({ apiBase: cloudconvert.api });
      const { accessToken } = (await (await fetch('/__test/token/cc-access', { method: 'POST' })).json()) as {
        accessToken: string;
      };
      const picture = await pngFile('picture.png', 16);
      /** One file's conversion as the queue would run it; the handle the provider leaves for reuse. */
      const convert = async (to: string, reuse?: unknown) => {
        let left: unknown;
        const job: FileConversion = {
          file: picture,
          from: 'png',
          to,
          parameters: {},
          signal: new AbortController().signal,
          batch: {
            id: `again-${Math.random()}`,
            files: [{ name: picture.name, inputFormat: 'png' }],
            index: 0,
          },
          reuse,
          onReusable: (handle) => {
            left = handle;
          },
          acquireCredential: () =>
            Promise.resolve({
              credential: {
                kind: 'cloudconvert-access-token',
                secretValue: accessToken,
                expiresAt: Date.now() + 600_000,
              },
              position: 0,
              reject: () => undefined,
            }),
          onPhase: () => undefined,
          onUploadProgress: () => undefined,
          onConvertProgress: () => undefined,
        };
        const mark = await markOf(cloudconvert.sandboxUrl);
        const [result] = await provider.convert(job);
        expect(result?.name).to.equal(`picture.${to}`);
        const calls = (await cloudCalls(cloudconvert.sandboxUrl, mark)).map(describeCall);
        return { left, uploads: calls.filter((call) => call === 'POST storage /tasks').length };
      };
      const first = await convert('jpg');
      expect(first.uploads).to.equal(1);
      const handle = first.left as { expiresAt: number; tokenFields?: { importUrl: string } };
      expect(handle.tokenFields?.importUrl).to.match(
        /^http:\/\/127\.0\.0\.1:\d+\/cloudconvert\/storage\/tasks\//,
      );
      // Five minutes left: not enough (the margin is ten); another service's export: not ours.
      const stale = { ...handle, expiresAt: Date.now() + 5 * 60_000 };
      const foreign = { ...handle, api: 'https://api.cloudconvert.com/v2' };
      for (const reuse of [stale, foreign]) expect((await convert('webp', reuse)).uploads).to.equal(1);
      expect((await convert('webp', handle)).uploads).to.equal(0);
    });

    for (const route of ['cc-api-key', 'cc-api-key-dated']) {
      it(`refuses a CloudConvert API key handed out as an access token (${route}) and creates no job`, async () => {
        const el = await uploader('access-token', { endpoint: `/__test/token/${route}` });
        const sandboxUrl = await sandboxOf('access-token');
        const mark = await markOf(sandboxUrl);
        el.addFiles([makeFile('a.txt', 'A')]);
        const [item] = await settled(el, 1);
        expect(item?.error).to.include({ code: 'token-rejected', retryable: false });
        expect(await cloudCalls(sandboxUrl, mark)).to.deep.equal([]);
      });
    }

    it('stops polling once no file of the job needs it (cancel during conversion)', async () => {
      const { cloudconvert } = await backendInfo();
      const el = await uploader('access-token', {
        endpoint: '/__test/token/cc-short',
        apiBase: cloudconvert.shortApi,
      });
      el.addFiles([makeFile('a.txt', 'A'), makeFile('b.txt', 'B')]);
      await until(() => el.items.every((item) => item.status === 'converting'), 'both converting');
      el.cancel(el.items[0]!.id);
      await new Promise((resolve) => setTimeout(resolve, 700));
      const shortLog = async () =>
        (await requestsOf(cloudconvert.shortSandboxUrl)).filter(
          (entry) => entry.method === 'GET' && entry.path.startsWith('/v2/jobs/'),
        ).length;
      const before = await shortLog();
      await new Promise((resolve) => setTimeout(resolve, 1200));
      // The other file still needs the job: polling goes on.
      expect(await shortLog()).to.be.greaterThan(before);
      el.cancel(el.items[1]!.id);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const stopped = await shortLog();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(await shortLog()).to.equal(stopped);
      expect(el.items.map((item) => item.status)).to.deep.equal(['canceled', 'canceled']);
    });
  });

  describe('server-job mode', () => {
    it('converts a result again to another format without a second upload: the host imports the original', async () => {
      const { el, sandboxUrl, askJob } = await serverJobWidget('jpg,webp,pdf');
      const answers: Array<{
        job: { tasks: Array<{ name: string; operation: string }> };
        statusUrl: string;
      }> = [];
      const requests: TokenRequest[] = [];
      // The demo's job endpoint, called as the element calls it; the page only records the exchanges.
      el.tokenProvider = async (request: TokenRequest) => {
        requests.push(request);
        const answer = (await askJob(request)) as TokenResponse & (typeof answers)[number];
        answers.push(answer);
        return answer;
      };
      const mark = await markOf(sandboxUrl);
      let exported: string | undefined;
      await convertTwice(el, async () => {
        const status = (await (await fetch(answers[0]!.statusUrl)).json()) as {
          job: { tasks: Array<{ name: string; result?: { files: Array<{ url: string }> } }> };
        };
        exported = status.job.tasks.find((task) => task.name === 'original-0')?.result?.files[0]?.url;
        expect(exported).to.be.a('string');
      });
      // The element asked for the second job with the original's export, which the host's job imports.
      expect(requests.map((request) => request.files[0]?.importUrl)).to.deep.equal([undefined, exported]);
      const calls = (await cloudCalls(sandboxUrl, mark)).map(describeCall);
      expect(calls.filter((call) => call === 'POST storage /tasks')).to.have.length(1);
      const imports = answers.map(
        (answer) => answer.job.tasks.find((task) => task.name === 'import-0')?.operation,
      );
      expect(imports).to.deep.equal(['import/upload', 'import/url']);
    });

    it('uploads the file again on Retry when converting it again failed (the host refused the import)', async () => {
      const { el, sandboxUrl, askJob } = await serverJobWidget('jpg,webp');
      const asked: Array<string | undefined> = [];
      el.tokenProvider = async (request: TokenRequest) => {
        asked.push(request.files[0]?.importUrl);
        if (request.files[0]?.importUrl) throw new Error('This host does not import files.');
        return askJob(request);
      };
      const mark = await markOf(sandboxUrl);
      el.addFiles([await pngFile('picture.png', 16)]);
      await settled(el, 1);
      await el.updateComplete;
      const again = el.convertAgain(el.items[0]!.id, 'webp');
      const [, failed] = await settled(el, 2);
      expect(failed?.error?.code).to.equal('token-provider-failed');
      el.retry(again!.id);
      const [, retried] = await settled(el, 2);
      expect(retried?.results?.[0]?.name).to.equal('picture.webp');
      expect(asked.map((url) => typeof url)).to.deep.equal(['undefined', 'string', 'undefined']);
      const calls = (await cloudCalls(sandboxUrl, mark)).map(describeCall);
      expect(calls.filter((call) => call === 'POST storage /tasks')).to.have.length(2);
    });

    it('refuses a job of the wrong shape with invalid-response, uploading nothing', async () => {
      const el = await uploader('server-job', { endpoint: '/__test/token/cc-bad-job' });
      const sandboxUrl = await sandboxOf('server-job');
      const mark = await markOf(sandboxUrl);
      el.addFiles([makeFile('a.txt', 'A')]);
      const [item] = await settled(el, 1);
      expect(item?.error?.code).to.equal('invalid-response');
      expect(await cloudCalls(sandboxUrl, mark)).to.deep.equal([]);
    });

    it('cancels mid-upload: the upload is aborted and the job is no longer followed', async () => {
      const el = await uploader('server-job');
      const since = await counting();
      await addFaults([
        {
          match: { service: 'cloudconvert-storage', method: 'POST', path: '/tasks' },
          times: 1,
          action: { throttleBytesPerSec: 50_000 },
        },
      ]);
      const uploadUnderWay = watchUploadProgress(el);
      el.addFiles([makeFile('slow.txt', bigText(400_000))]);
      await uploadUnderWay();
      el.cancel(el.items[0]!.id);
      const [item] = await settled(el, 1);
      expect(item?.status).to.equal('canceled');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const counts = await since();
      expect(counts['cc-job']).to.equal(1);
      expect(counts['cc-job:status'] ?? 0).to.equal(0);
    });
  });
});
