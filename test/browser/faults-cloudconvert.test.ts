import { expect } from '@open-wc/testing';
import { html } from 'lit';
import type { ConvertUploader, UploadItem } from '../../src/index.js';
import { backendInfo, settled, type SandboxFault } from './support/backend-client.js';
import { expectCleanPages } from './support/clean-page.js';
import { fixture, makeFile } from './support/fixture.js';

// The CloudConvert half of the fault matrix, on the CloudConvert tests' own sandbox (behind the
// backend's `cc-*` routes), in both modes: whatever the fault, each file ends done or with a stable
// code, a visitor's Retry converts it, and its batch-mates are not held back.

type Mode = 'server-job' | 'access-token';

const stableCodes = new Set([
  'token-endpoint-failed',
  'unauthorized',
  'upload-failed',
  'conversion-failed',
  'rate-limited',
  'network',
  'timeout',
  'invalid-response',
]);

async function uploader(mode: Mode): Promise<ConvertUploader> {
  const { cloudconvert } = await backendInfo();
  const endpoint = mode === 'access-token' ? '/__test/token/cc-access' : '/__test/token/cc-job';
  return fixture<ConvertUploader>(
    html`<convert-uploader
      provider="cloudconvert"
      to="pdf"
      multiple
      token-endpoint=${endpoint}
      api-base=${cloudconvert.api}
    ></convert-uploader>`,
  );
}

async function sandbox(path: string, init?: RequestInit): Promise<void> {
  const { cloudconvert } = await backendInfo();
  const response = await fetch(`${cloudconvert.sandboxUrl}/__sandbox/${path}`, init);
  expect(response.ok, await response.clone().text()).to.equal(true);
}

async function addFaults(faults: SandboxFault[]): Promise<void> {
  await sandbox('faults', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
}

function expectClearState(items: readonly UploadItem[]): void {
  for (const item of items) {
    if (item.status === 'done') continue;
    expect(item.status, item.name).to.equal('error');
    expect(stableCodes.has(item.error?.code ?? ''), `${item.name}: ${item.error?.code}`).to.equal(true);
  }
}

const jobReads = { service: 'cloudconvert-api', method: 'GET', path: '/v2/jobs/*' } as const;

const scenarios: [string, SandboxFault[]][] = [
  [
    'the storage connection reset halfway through an upload',
    [
      {
        match: { service: 'cloudconvert-storage', method: 'POST' },
        times: 1,
        action: { resetAfterBytes: 60_000 },
      },
    ],
  ],
  [
    'a slow storage link (50 KB/s)',
    [
      {
        match: { service: 'cloudconvert-storage', method: 'POST' },
        times: 1,
        action: { throttleBytesPerSec: 50_000 },
      },
    ],
  ],
  [
    'the service answering 503 to job reads, then recovering',
    [
      {
        match: jobReads,
        times: 2,
        action: {
          status: 503,
          headers: { 'Retry-After': '1' },
          body: { message: 'Down for a moment', code: 'SERVICE_UNAVAILABLE' },
        },
      },
    ],
  ],
  [
    'the service answering 429 with Retry-After to job reads',
    [
      {
        match: jobReads,
        times: 1,
        action: {
          status: 429,
          headers: { 'Retry-After': '1' },
          body: { message: 'Too Many Requests', code: 'TOO_MANY_REQUESTS' },
        },
      },
    ],
  ],
  ['a malformed job answer', [{ match: jobReads, times: 1, action: { malformed: true } }]],
  [
    'a job answer missing its fields',
    [{ match: jobReads, times: 1, action: { status: 200, body: { data: { id: 'x' } } } }],
  ],
];

describe('fault matrix, CloudConvert', function () {
  this.timeout(90_000);
  expectCleanPages();

  afterEach(async () => {
    await sandbox('faults', { method: 'DELETE' });
  });

  for (const mode of ['server-job', 'access-token'] as const) {
    describe(mode, () => {
      for (const [what, faults] of scenarios) {
        it(`${what}: each file ends done or with a stable code, and Retry converts it`, async () => {
          const el = await uploader(mode);
          const { cloudconvert } = await backendInfo();
          const log = async () =>
            (await (await fetch(`${cloudconvert.sandboxUrl}/__sandbox/requests`)).json()) as {
              seq: number;
              fault?: boolean;
            }[];
          const mark = (await log()).at(-1)?.seq ?? 0;
          await addFaults(faults);
          el.addFiles([makeFile('first.txt', 'x'.repeat(150_000)), makeFile('second.txt', 'second')]);
          const items = await settled(el, 2, 80_000);
          expectClearState(items);
          // The fault did happen: the sandbox marks what it answered under one.
          expect((await log()).some((entry) => entry.seq > mark && entry.fault)).to.equal(true);
          await sandbox('faults', { method: 'DELETE' });
          el.retry();
          const retried = await settled(el, 2, 80_000);
          expect(retried.map((item) => item.status)).to.deep.equal(['done', 'done']);
        });
      }
    });
  }
});
