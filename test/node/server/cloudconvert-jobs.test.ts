import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import {
  cloudConvertJobs,
  type CloudConvertJobsOptions,
  type IssueEvent,
} from '../../../src/server/index.js';
import { fakeCloudConvert } from '../helpers/server-fake-cloudconvert.js';
import {
  batchBody,
  bodyOf,
  fakeCloudConvertKey,
  json,
  type Answer,
  PARTNER,
  postJson,
  SITE,
  TEST_KEY,
} from '../helpers/server-fixtures.js';

const API = 'https://api.cloudconvert.test/v2';
const ENDPOINT = `${SITE}/api/convert/jobs`;

let apiKey: string;
let cloud: ReturnType<typeof fakeCloudConvert>;
let issued: IssueEvent[];

beforeEach(async () => {
  apiKey = await fakeCloudConvertKey();
  cloud = fakeCloudConvert(API);
  issued = [];
});

function handlerWith(options: Partial<CloudConvertJobsOptions> = {}) {
  return cloudConvertJobs({
    apiKey,
    apiBase: API,
    formats: { to: ['pdf'], from: ['docx', 'md'] },
    ticketSecret: TEST_KEY,
    allowedOrigins: [PARTNER],
    fetch: cloud.fetch,
    onIssue: (event) => void issued.push(event),
    clientIp: () => '203.0.113.10',
    ...options,
  });
}

function statusRequest(statusUrl: string, origin?: string): Request {
  return new Request(new URL(statusUrl, SITE), {
    headers:
      origin === undefined
        ? { 'Sec-Fetch-Site': 'same-origin' }
        : { Origin: origin, 'Sec-Fetch-Site': 'cross-site' },
  });
}

describe('cloudConvertJobs: job creation', () => {
  it('creates one job per batch with an import/upload → convert → export/url chain per file, and an export of the original', async () => {
    const handler = handlerWith();
    const response = await handler(postJson(ENDPOINT, batchBody('cloudconvert', 2)));
    assert.equal(response.status, 200);
    assert.equal(cloud.fetch.calls.length, 1);
    const call = cloud.fetch.calls[0];
    assert.ok(call);
    assert.equal(call.url, `${API}/jobs`);
    assert.equal(call.headers.get('authorization'), `Bearer ${apiKey}`);
    assert.deepEqual(JSON.parse(call.body), {
      tag: 'convert-uploader',
      tasks: {
        'import-0': { operation: 'import/upload' },
        'original-0': { operation: 'export/url', input: 'import-0' },
        'convert-0': {
          operation: 'convert',
          input: 'import-0',
          input_format: 'docx',
          output_format: 'pdf',
          filename: 'file-0.pdf',
        },
        'export-0': { operation: 'export/url', input: 'convert-0' },
        'import-1': { operation: 'import/upload' },
        'original-1': { operation: 'export/url', input: 'import-1' },
        'convert-1': {
          operation: 'convert',
          input: 'import-1',
          input_format: 'docx',
          output_format: 'pdf',
          filename: 'file-1.pdf',
        },
        'export-1': { operation: 'export/url', input: 'convert-1' },
      },
    });
  });

  it('answers only what the browser needs: job id, statuses, upload forms, a status URL; never the key', async () => {
    const handler = handlerWith();
    const response = await handler(postJson(ENDPOINT, batchBody('cloudconvert', 1)));
    const text = await response.text();
    assert.ok(!text.includes(apiKey), 'the API key must not reach the browser');
    assert.ok(!text.includes('user_id') && !text.includes('internal-host') && !text.includes('links'));
    const body = JSON.parse(text) as Answer;
    assert.equal(body.provider, 'cloudconvert');
    assert.equal(body.job.id, 'job-1');
    assert.deepEqual(
      body.job.tasks.map((task: { name: string }) => task.name),
      ['import-0', 'original-0', 'convert-0', 'export-0'],
    );
    assert.deepEqual(body.job.tasks[0]?.result?.form, {
      url: 'https://storage.example/tasks',
      parameters: { key: 'job-1-import-0/${filename}', acl: 'private' },
    });
    assert.equal(body.job.tasks[2]?.result, undefined);
    assert.match(body.statusUrl, /^\/api\/convert\/jobs\/[A-Za-z0-9_.-]+$/);
    assert.ok(Date.parse(body.expiresAt) > Date.now() + 3500_000);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(issued[0]?.jobId, 'job-1');
    assert.ok(!JSON.stringify(issued).includes(apiKey));
  });

  it('creates nothing for a refused batch', async () => {
    const handler = handlerWith();
    const refused: Array<[unknown, number]> = [
      [batchBody('cloudconvert', 10_000), 413],
      [{ ...batchBody('cloudconvert', 1), to: 'exe' }, 400],
      [{ ...batchBody('cloudconvert', 1), files: [{ name: '../../x.docx', size: 5, type: '' }] }, 400],
    ];
    for (const [body, status] of refused) {
      assert.equal((await handler(postJson(ENDPOINT, body))).status, status);
    }
    assert.equal(cloud.fetch.calls.length, 0);
    assert.equal(issued.length, 0);
  });

  it('imports a file from an earlier export on CloudConvert storage (files[].importUrl) instead of awaiting an upload', async () => {
    const handler = handlerWith();
    const importUrl = 'https://eu-central.storage.cloudconvert.com/tasks/t-1/file-0.docx?X-Amz-Signature=abc';
    const batch = batchBody('cloudconvert', 2);
    const [first, second] = batch['files'] as object[];
    const response = await handler(
      postJson(ENDPOINT, { ...batch, files: [{ ...first, importUrl }, second] }),
    );
    assert.equal(response.status, 200);
    const tasks = (JSON.parse(cloud.fetch.calls[0]?.body ?? '{}') as { tasks: Record<string, unknown> })
      .tasks;
    assert.deepEqual(tasks['import-0'], { operation: 'import/url', url: importUrl, filename: 'file-0.docx' });
    assert.deepEqual(tasks['import-1'], { operation: 'import/upload' });
    assert.equal(issued[0]?.files[0]?.importUrl, importUrl);
  });

  it('refuses an import URL off CloudConvert storage with 400 invalid-import-url, creating nothing', async () => {
    const handler = handlerWith();
    const local = 'http://127.0.0.1:8787/cloudconvert/api/v2';
    const sandboxed = handlerWith({ apiBase: local, fetch: fakeCloudConvert(local).fetch });
    const refused: Array<[typeof handler, unknown]> = [
      [handler, 'https://evil.example/file.docx'],
      [handler, 'https://storage.cloudconvert.com.evil.example/tasks/x/file.docx'],
      [handler, 'https://evilstorage.cloudconvert.com/tasks/x/file.docx'],
      [handler, 'http://storage.cloudconvert.com/tasks/x/file.docx'],
      [handler, 'https://storage.cloudconvert.com:8443/tasks/x/file.docx'],
      [handler, 'https://user:pass@storage.cloudconvert.com/tasks/x/file.docx'],
      [handler, 'http://127.0.0.1:8787/cloudconvert/storage/tasks/x/file.docx'],
      [handler, 'http://169.254.169.254/latest/meta-data/'],
      [handler, 'file:///etc/passwd'],
      [handler, 'not a url'],
      [handler, 42],
      // A local sandbox's kit takes its own origin only.
      [sandboxed, 'http://127.0.0.1:9999/cloudconvert/storage/tasks/x/file.docx'],
      [sandboxed, 'http://localhost:8787/cloudconvert/storage/tasks/x/file.docx'],
    ];
    for (const [endpoint, importUrl] of refused) {
      const batch = batchBody('cloudconvert', 1);
      const files = [{ ...(batch['files'] as object[])[0], importUrl }];
      const response = await endpoint(postJson(ENDPOINT, { ...batch, files }));
      assert.equal(response.status, 400, String(importUrl));
      assert.equal((await bodyOf(response)).error.code, 'invalid-import-url');
    }
    assert.equal(cloud.fetch.calls.length, 0);
    assert.equal(issued.length, 0);
    // CloudConvert's sandbox exports, and a local sandbox's own.
    for (const [endpoint, importUrl] of [
      [handler, 'https://storage.cloudconvert.com/tasks-sandbox/x/file.docx?Expires=1'],
      [sandboxed, 'http://127.0.0.1:8787/cloudconvert/storage/tasks/x/file.docx?X-Amz-Signature=1'],
    ] as const) {
      const batch = batchBody('cloudconvert', 1);
      const files = [{ ...(batch['files'] as object[])[0], importUrl }];
      assert.equal((await endpoint(postJson(ENDPOINT, { ...batch, files }))).status, 200, importUrl);
    }
  });

  it('answers 502 without details when CloudConvert refuses, and quota-exceeded on 402', async () => {
    const failing = () =>
      Promise.resolve(json({ message: 'Unauthenticated.', code: 'UNAUTHENTICATED' }, 401));
    const handler = handlerWith({ fetch: failing });
    const response = await handler(postJson(ENDPOINT, batchBody('cloudconvert', 1)));
    assert.equal(response.status, 502);
    assert.equal((await bodyOf(response)).error.code, 'upstream-failed');
    const broke = handlerWith({
      fetch: () => Promise.resolve(json({ message: 'out of credits', code: 'CREDITS_EXCEEDED' }, 402)),
    });
    assert.equal(
      (await bodyOf(await broke(postJson(ENDPOINT, batchBody('cloudconvert', 1))))).error.code,
      'quota-exceeded',
    );
  });
});

describe('cloudConvertJobs: status route', () => {
  async function created(handler = handlerWith(), origin = SITE) {
    return bodyOf(await handler(postJson(ENDPOINT, batchBody('cloudconvert', 1), { origin })));
  }

  it('reports statuses, percents and export files of its own job only', async () => {
    const handler = handlerWith();
    const { statusUrl, job } = await created(handler);
    const waiting = await bodyOf(await handler(statusRequest(statusUrl)));
    assert.equal(waiting.job.status, 'waiting');
    cloud.finish(job.id);
    const response = await handler(statusRequest(statusUrl));
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.ok(!text.includes(apiKey) && !text.includes('user_id') && !text.includes('payload'));
    const finished = JSON.parse(text) as Answer;
    assert.equal(finished.job.status, 'finished');
    const exported = finished.job.tasks.find((task) => task.name === 'export-0');
    assert.deepEqual(exported?.result?.files, [
      { filename: 'export-0.pdf', size: 1234, url: `https://storage.example/${job.id}-export-0.pdf` },
    ]);
    const imported = finished.job.tasks.find((task) => task.name === 'import-0');
    assert.ok(imported);
    assert.equal(imported.result, undefined);
    assert.equal(cloud.fetch.calls.at(-1)?.url, `${API}/jobs/${job.id}`);
  });

  it('refuses a tampered, forged or foreign ticket without calling CloudConvert', async () => {
    const handler = handlerWith();
    const { statusUrl } = await created(handler);
    const ticket = statusUrl.split('/').pop() ?? '';
    const calls = cloud.fetch.calls.length;
    const flipped = ticket.slice(0, -5) + (ticket.at(-5) === 'A' ? 'B' : 'A') + ticket.slice(-4);
    const other = handlerWith({ ticketSecret: 'another-secret-0123456789abcdef0123456789' });
    const { statusUrl: foreign } = await created(other);
    for (const url of [
      `/api/convert/jobs/${flipped}`,
      '/api/convert/jobs/job-1',
      foreign,
      '/api/convert/jobs/a%2F..%2Fb',
    ]) {
      const response = await handler(statusRequest(url));
      assert.equal(response.status, 404, url);
      assert.equal((await bodyOf(response)).error.code, 'not-found');
    }
    assert.equal(cloud.fetch.calls.length, calls + 1, 'only the foreign handler created a job');
  });

  it('refuses an expired ticket with 410', async (context) => {
    context.mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const handler = handlerWith({ ticketLifetime: 60 });
    const { statusUrl } = await created(handler);
    context.mock.timers.tick(61_000);
    const response = await handler(statusRequest(statusUrl));
    assert.equal(response.status, 410);
    assert.equal((await bodyOf(response)).error.code, 'expired');
  });

  it('binds the ticket to the origin that asked for the job', async () => {
    const handler = handlerWith({ allowedOrigins: [PARTNER, 'https://other.example'] });
    const { statusUrl } = await created(handler, PARTNER);
    assert.equal((await handler(statusRequest(statusUrl, PARTNER))).status, 200);
    assert.equal((await handler(statusRequest(statusUrl, 'https://other.example'))).status, 404);
    assert.equal((await handler(statusRequest(statusUrl))).status, 404, 'the site itself did not ask for it');
    assert.equal((await handler(statusRequest(statusUrl, 'https://evil.example'))).status, 403);
  });

  it('reads the job with the key that created it after the keys were rotated', async () => {
    const oldKey = apiKey;
    const { statusUrl } = await created();
    const newKey = await fakeCloudConvertKey(['task.read', 'task.write'], '2');
    const rotated = handlerWith({ apiKey: undefined, apiKeys: [newKey, oldKey] });
    assert.equal((await rotated(statusRequest(statusUrl))).status, 200);
    assert.equal(cloud.fetch.calls.at(-1)?.headers.get('authorization'), `Bearer ${oldKey}`);
    await rotated(postJson(ENDPOINT, batchBody('cloudconvert', 1)));
    assert.equal(cloud.fetch.calls.at(-1)?.headers.get('authorization'), `Bearer ${newKey}`);
  });

  it('answers 404 when CloudConvert no longer has the job', async () => {
    const handler = handlerWith();
    const { statusUrl, job } = await created(handler);
    cloud.jobs.delete(job.id);
    assert.equal((await handler(statusRequest(statusUrl))).status, 404);
  });
});

describe('cloudConvertJobs: startup checks', () => {
  const refuses = (options: Partial<CloudConvertJobsOptions>, message: RegExp): void => {
    assert.throws(() => handlerWith(options), { name: 'ConfigurationError', message });
  };

  it('refuses missing or malformed keys, keys without task scopes, short ticket secrets and no formats', async () => {
    refuses({ apiKey: undefined }, /"apiKey" is required/);
    refuses({ apiKey: 'not-a-jwt' }, /does not look like a CloudConvert API key/);
    const readOnly = await fakeCloudConvertKey(['user.read']);
    refuses({ apiKey: readOnly }, /task.read and task.write/);
    refuses({ ticketSecret: 'short' }, /at least 32 bytes/);
    refuses({ ticketSecret: undefined }, /"ticketSecret" is required/);
    refuses({ formats: undefined }, /"formats" is required/);
    refuses({ formats: [] }, /at least one output format/);
    refuses({ ticketLifetime: 200_000 }, /ticketLifetime/);
    refuses({ statusPath: 'api/jobs/' }, /statusPath/);
    refuses({ allowedOrigins: ['*'] }, /"\*"/);
  });

  it('uses the sandbox host when asked', async () => {
    const calls: string[] = [];
    const handler = cloudConvertJobs({
      apiKey,
      sandbox: true,
      formats: ['pdf'],
      ticketSecret: TEST_KEY,
      clientIp: () => '203.0.113.10',
      fetch: (input) => {
        calls.push(input instanceof Request ? input.url : input.toString());
        return Promise.resolve(json({}, 500));
      },
    });
    await handler(postJson(ENDPOINT, batchBody('cloudconvert', 1)));
    assert.deepEqual(calls, ['https://api.sandbox.cloudconvert.com/v2/jobs']);
  });
});
