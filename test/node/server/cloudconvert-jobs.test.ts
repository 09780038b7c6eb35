import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from 'convert-uploader-sandbox';
import {
  cloudConvertJobs,
  type CloudConvertJobsOptions,
  type IssueEvent,
} from '../../../src/server/index.js';
import {
  batchBody,
  bodyOf,
  fakeCloudConvertKey,
  type Answer,
  PARTNER,
  passThroughFetch,
  postJson,
  SITE,
  TEST_KEY,
} from '../helpers/server-fixtures.js';
import {
  lastSeq,
  routedToSandbox,
  sandboxAccessToken,
  setCloudConvertCredits,
  uploadToForm,
} from '../helpers/server-sandbox-flows.js';

const ENDPOINT = `${SITE}/api/convert/jobs`;
const TEXT = 'Converted by the sandbox for the jobs tests.';

// Every upstream answer here is the sandbox's CloudConvert (jobs, job status, its account's credits), or its
// fault injection; no fake.
let sandbox: Sandbox;
let apiKey: string;
let issued: IssueEvent[];

before(async () => {
  sandbox = await startSandbox({ port: 0, processingMs: 20 });
  apiKey = sandbox.cloudconvert.apiKey;
});
after(() => sandbox.close());
beforeEach(() => {
  issued = [];
});

function handlerWith(options: Partial<CloudConvertJobsOptions> = {}) {
  return cloudConvertJobs({
    apiKey,
    apiBase: sandbox.cloudconvert.api,
    formats: { to: ['pdf'], from: ['docx', 'md', 'txt'] },
    ticketSecret: TEST_KEY,
    allowedOrigins: [PARTNER],
    onIssue: (event) => void issued.push(event),
    clientIp: () => '203.0.113.10',
    ...options,
  });
}

/** The job as the sandbox's CloudConvert holds it, read with the API key (what the kit must not pass on). */
async function upstreamJob(id: string): Promise<{ status: string; tasks: Array<Record<string, unknown>> }> {
  const response = await fetch(`${sandbox.cloudconvert.api}/jobs/${id}?include=payload`, {
    headers: { Authorization: `Bearer ${apiKey}` },
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { data: { status: string; tasks: Array<Record<string, unknown>> } })
    .data;
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
    const upstream = passThroughFetch();
    const handler = handlerWith({ fetch: upstream });
    const since = lastSeq(sandbox);
    const response = await handler(postJson(ENDPOINT, batchBody('cloudconvert', 2)));
    assert.equal(response.status, 200);
    assert.deepEqual(
      sandbox.requests(since).map((entry) => [entry.method, entry.path, entry.status, entry.credential]),
      [['POST', '/v2/jobs', 201, { kind: 'api-key', where: 'header' }]],
    );
    assert.equal(upstream.calls.length, 1);
    const call = upstream.calls[0];
    assert.ok(call);
    assert.equal(call.url, `${sandbox.cloudconvert.api}/jobs`);
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
    // CloudConvert took it as that chain: one job, eight tasks.
    const job = await upstreamJob((await bodyOf(response)).job.id);
    assert.deepEqual(job.tasks.map((task) => [task['name'], task['operation']]).sort(), [
      ['convert-0', 'convert'],
      ['convert-1', 'convert'],
      ['export-0', 'export/url'],
      ['export-1', 'export/url'],
      ['import-0', 'import/upload'],
      ['import-1', 'import/upload'],
      ['original-0', 'export/url'],
      ['original-1', 'export/url'],
    ]);
  });

  it('answers only what the browser needs: job id, statuses, upload forms, a status URL; never the key', async () => {
    const handler = handlerWith();
    const response = await handler(postJson(ENDPOINT, batchBody('cloudconvert', 1)));
    const text = await response.text();
    const body = JSON.parse(text) as Answer;
    // CloudConvert's own answer carries internals (user id, host name, links) the kit must strip.
    const upstream = await upstreamJob(body.job.id);
    const upstreamImport = upstream.tasks.find((task) => task['name'] === 'import-0') ?? {};
    for (const internal of ['user_id', 'host_name', 'links', 'payload']) {
      assert.ok(internal in upstreamImport, `the sandbox's task has ${internal}`);
      assert.ok(!text.includes(internal), `the answer passes on ${internal}`);
    }
    assert.ok(!text.includes(apiKey), 'the API key must not reach the browser');
    assert.equal(body.provider, 'cloudconvert');
    assert.deepEqual(
      body.job.tasks.map((task: { name: string }) => task.name),
      ['import-0', 'original-0', 'convert-0', 'export-0'],
    );
    const form = body.job.tasks[0]?.result?.form;
    assert.ok(form?.url.startsWith(sandbox.cloudconvert.storage), form?.url);
    assert.deepEqual(form, (upstreamImport['result'] as { form: unknown }).form);
    assert.equal(body.job.tasks[2]?.result, undefined);
    assert.match(body.statusUrl, /^\/api\/convert\/jobs\/[A-Za-z0-9_.-]+$/);
    assert.ok(Date.parse(body.expiresAt) > Date.now() + 3500_000);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(issued[0]?.jobId, body.job.id);
    assert.ok(!JSON.stringify(issued).includes(apiKey));
  });

  it('creates nothing for a refused batch', async () => {
    const handler = handlerWith();
    const since = lastSeq(sandbox);
    const refused: Array<[unknown, number]> = [
      [batchBody('cloudconvert', 10_000), 413],
      [{ ...batchBody('cloudconvert', 1), to: 'exe' }, 400],
      [{ ...batchBody('cloudconvert', 1), files: [{ name: '../../x.docx', size: 5, type: '' }] }, 400],
    ];
    for (const [body, status] of refused) {
      assert.equal((await handler(postJson(ENDPOINT, body))).status, status);
    }
    assert.deepEqual(sandbox.requests(since), []);
    assert.equal(issued.length, 0);
  });

  it('imports a file from an earlier export on CloudConvert storage (files[].importUrl) instead of awaiting an upload', async () => {
    const upstream = passThroughFetch();
    const handler = handlerWith({ fetch: upstream });
    const importUrl = 'https://eu-central.storage.cloudconvert.com/tasks/t-1/file-0.docx?X-Amz-Signature=abc';
    const batch = batchBody('cloudconvert', 2);
    const [first, second] = batch['files'] as object[];
    const response = await handler(
      postJson(ENDPOINT, { ...batch, files: [{ ...first, importUrl }, second] }),
    );
    assert.equal(response.status, 200);
    const tasks = (JSON.parse(upstream.calls[0]?.body ?? '{}') as { tasks: Record<string, unknown> }).tasks;
    assert.deepEqual(tasks['import-0'], { operation: 'import/url', url: importUrl, filename: 'file-0.docx' });
    assert.deepEqual(tasks['import-1'], { operation: 'import/upload' });
    const job = await upstreamJob((await bodyOf(response)).job.id);
    const imported = job.tasks.find((task) => task['name'] === 'import-0');
    assert.equal(imported?.['operation'], 'import/url');
    assert.ok(imported);
    assert.equal((imported['payload'] as { url?: string } | undefined)?.url, importUrl);
    assert.equal(issued[0]?.files[0]?.importUrl, importUrl);
  });

  it('refuses an import URL off CloudConvert storage with 400 invalid-import-url, creating nothing', async () => {
    // `production` is a kit set up for the real CloudConvert (its default API host, sent to the sandbox by
    // `routedToSandbox`); `sandboxed` is pointed at the local sandbox, whose hosts share its origin.
    const routed = routedToSandbox(sandbox.cloudconvert.api);
    const production = handlerWith({ apiBase: undefined, fetch: routed });
    const sandboxed = handlerWith();
    const local = new URL(sandbox.cloudconvert.storage);
    const otherPort = `http://127.0.0.1:${Number(local.port) === 9999 ? 9998 : 9999}`;
    const since = lastSeq(sandbox);
    const refused: Array<[typeof production, unknown]> = [
      [production, 'https://evil.example/file.docx'],
      [production, 'https://storage.cloudconvert.com.evil.example/tasks/x/file.docx'],
      [production, 'https://evilstorage.cloudconvert.com/tasks/x/file.docx'],
      [production, 'http://storage.cloudconvert.com/tasks/x/file.docx'],
      [production, 'https://storage.cloudconvert.com:8443/tasks/x/file.docx'],
      [production, 'https://user:pass@storage.cloudconvert.com/tasks/x/file.docx'],
      [production, `${sandbox.cloudconvert.storage}/tasks/x/file.docx`],
      [production, 'http://169.254.169.254/latest/meta-data/'],
      [production, 'file:///etc/passwd'],
      [production, 'not a url'],
      [production, 42],
      // A local sandbox's kit takes its own origin only.
      [sandboxed, `${otherPort}/cloudconvert/storage/tasks/x/file.docx`],
      [sandboxed, `http://localhost:${local.port}/cloudconvert/storage/tasks/x/file.docx`],
    ];
    for (const [endpoint, importUrl] of refused) {
      const batch = batchBody('cloudconvert', 1);
      const files = [{ ...(batch['files'] as object[])[0], importUrl }];
      const response = await endpoint(postJson(ENDPOINT, { ...batch, files }));
      assert.equal(response.status, 400, String(importUrl));
      assert.equal((await bodyOf(response)).error.code, 'invalid-import-url');
    }
    assert.deepEqual(sandbox.requests(since), []);
    assert.deepEqual(routed.asked, []);
    assert.equal(issued.length, 0);
    // CloudConvert's sandbox exports, and a local sandbox's own.
    for (const [endpoint, importUrl] of [
      [production, 'https://storage.cloudconvert.com/tasks-sandbox/x/file.docx?Expires=1'],
      [sandboxed, `${sandbox.cloudconvert.storage}/tasks/x/file.docx?X-Amz-Signature=1`],
    ] as const) {
      const batch = batchBody('cloudconvert', 1);
      const files = [{ ...(batch['files'] as object[])[0], importUrl }];
      assert.equal((await endpoint(postJson(ENDPOINT, { ...batch, files }))).status, 200, importUrl);
    }
    assert.deepEqual(routed.asked, ['https://api.cloudconvert.com/v2/jobs']);
  });

  it('answers 502 without details when CloudConvert refuses, and quota-exceeded on 402', async () => {
    // A key of the right shape that the sandbox's CloudConvert does not know: its own 401 UNAUTHENTICATED.
    const errors: Error[] = [];
    const unknownKey = handlerWith({
      apiKey: await fakeCloudConvertKey(),
      onError: (error) => void errors.push(error),
    });
    let since = lastSeq(sandbox);
    const response = await unknownKey(postJson(ENDPOINT, batchBody('cloudconvert', 1)));
    assert.deepEqual(
      sandbox.requests(since).map((entry) => [entry.path, entry.status]),
      [['/v2/jobs', 401]],
    );
    assert.equal(response.status, 502);
    const text = await response.text();
    assert.ok(!/UNAUTHENTICATED|Unauthenticated/i.test(text), text);
    assert.equal((JSON.parse(text) as Answer).error.code, 'upstream-failed');
    assert.equal(issued.length, 0);
    // The account out of credits: CloudConvert's 402 CREDITS_EXCEEDED.
    const credits = await setCloudConvertCredits(sandbox.cloudconvert, 0);
    try {
      since = lastSeq(sandbox);
      const broke = await handlerWith()(postJson(ENDPOINT, batchBody('cloudconvert', 1)));
      assert.deepEqual(
        sandbox.requests(since).map((entry) => [entry.path, entry.status]),
        [['/v2/jobs', 402]],
      );
      assert.equal((await bodyOf(broke)).error.code, 'quota-exceeded');
    } finally {
      await setCloudConvertCredits(sandbox.cloudconvert, credits);
    }
  });
});

describe('cloudConvertJobs: status route', () => {
  async function created(handler = handlerWith(), origin = SITE, body = batchBody('cloudconvert', 1)) {
    return bodyOf(await handler(postJson(ENDPOINT, body, { origin })));
  }

  it('reports statuses, percents and export files of its own job only', async () => {
    const handler = handlerWith();
    const batch = {
      provider: 'cloudconvert',
      from: 'txt',
      to: 'pdf',
      files: [{ name: 'file-0.txt', size: TEXT.length, type: 'text/plain' }],
    };
    const { statusUrl, job } = await created(handler, SITE, batch);
    const waiting = await bodyOf(await handler(statusRequest(statusUrl)));
    assert.equal(waiting.job.id, job.id);
    assert.equal(waiting.job.status, 'waiting');
    const form = job.tasks.find((task) => task.name === 'import-0')?.result?.form;
    assert.ok(form);
    assert.equal(await uploadToForm(form, 'file-0.txt', TEXT), 201);
    let text = '';
    let finished: Answer | undefined;
    for (let poll = 0; poll < 400 && finished?.job.status !== 'finished'; poll += 1) {
      if (poll > 0) await new Promise((resolve) => setTimeout(resolve, 25));
      const since = lastSeq(sandbox);
      const response = await handler(statusRequest(statusUrl));
      assert.equal(response.status, 200);
      assert.deepEqual(
        sandbox.requests(since).map((entry) => [entry.method, entry.path, entry.credential.kind]),
        [['GET', `/v2/jobs/${job.id}`, 'api-key']],
      );
      text = await response.text();
      finished = JSON.parse(text) as Answer;
      assert.notEqual(finished.job.status, 'error', text);
    }
    assert.equal(finished?.job.status, 'finished');
    for (const internal of [apiKey, 'user_id', 'payload', 'host_name', 'links']) {
      assert.ok(!text.includes(internal), `the status answer passes on ${internal.slice(0, 12)}`);
    }
    const convert = finished.job.tasks.find((task) => task.name === 'convert-0');
    assert.equal(convert?.status, 'finished');
    assert.equal(convert.percent, 100);
    const exported = finished.job.tasks.find((task) => task.name === 'export-0');
    const files = exported?.result?.files ?? [];
    assert.deepEqual(
      files.map((file) => file.filename),
      ['file-0.pdf'],
    );
    assert.ok(files[0]?.url.startsWith(sandbox.cloudconvert.storage), files[0]?.url);
    const download = await fetch(files[0]?.url ?? '');
    const pdf = Buffer.from(await download.arrayBuffer());
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.equal(files[0]?.size, pdf.length);
    const imported = finished.job.tasks.find((task) => task.name === 'import-0');
    assert.ok(imported);
    assert.equal(imported.result, undefined);
  });

  it('refuses a tampered, forged or foreign ticket without calling CloudConvert', async () => {
    const handler = handlerWith();
    const { statusUrl, job } = await created(handler);
    const ticket = statusUrl.split('/').pop() ?? '';
    const flipped = ticket.slice(0, -5) + (ticket.at(-5) === 'A' ? 'B' : 'A') + ticket.slice(-4);
    const other = handlerWith({ ticketSecret: 'another-secret-0123456789abcdef0123456789' });
    const { statusUrl: foreign } = await created(other);
    const since = lastSeq(sandbox);
    for (const url of [
      `/api/convert/jobs/${flipped}`,
      `/api/convert/jobs/${job.id}`,
      foreign,
      '/api/convert/jobs/a%2F..%2Fb',
    ]) {
      const response = await handler(statusRequest(url));
      assert.equal(response.status, 404, url);
      assert.equal((await bodyOf(response)).error.code, 'not-found');
    }
    assert.deepEqual(sandbox.requests(since), [], 'CloudConvert was not asked');
    assert.equal((await handler(statusRequest(statusUrl))).status, 200, 'the untampered ticket opens');
  });

  it('refuses an expired ticket with 410', async (context) => {
    context.mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const handler = handlerWith({ ticketLifetime: 60 });
    const { statusUrl } = await created(handler);
    context.mock.timers.tick(59_000);
    assert.equal((await handler(statusRequest(statusUrl))).status, 200, 'still valid at 59 s');
    context.mock.timers.tick(2_000);
    const since = lastSeq(sandbox);
    const response = await handler(statusRequest(statusUrl));
    assert.equal(response.status, 410);
    assert.equal((await bodyOf(response)).error.code, 'expired');
    assert.deepEqual(sandbox.requests(since), []);
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
    // Two keys the sandbox's CloudConvert accepts and tells apart in its log: its API key (the old one) and
    // an OAuth access token with the task scopes (the new one).
    const oldKey = apiKey;
    const { statusUrl, job } = await created();
    const newKey = await sandboxAccessToken(sandbox.cloudconvert);
    const rotated = handlerWith({ apiKey: undefined, apiKeys: [newKey, oldKey] });
    let since = lastSeq(sandbox);
    assert.equal((await rotated(statusRequest(statusUrl))).status, 200);
    assert.deepEqual(
      sandbox.requests(since).map((entry) => [entry.path, entry.credential.kind]),
      [[`/v2/jobs/${job.id}`, 'api-key']],
    );
    since = lastSeq(sandbox);
    assert.equal((await rotated(postJson(ENDPOINT, batchBody('cloudconvert', 1)))).status, 200);
    assert.deepEqual(
      sandbox.requests(since).map((entry) => [entry.path, entry.credential.kind]),
      [['/v2/jobs', 'access-token']],
    );
  });

  it('answers 404 when CloudConvert no longer has the job', async () => {
    const handler = handlerWith();
    const { statusUrl, job } = await created(handler);
    assert.equal((await handler(statusRequest(statusUrl))).status, 200);
    const deleted = await fetch(`${sandbox.cloudconvert.api}/jobs/${job.id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${apiKey}` },
    });
    assert.equal(deleted.status, 204);
    const since = lastSeq(sandbox);
    const response = await handler(statusRequest(statusUrl));
    assert.deepEqual(
      sandbox.requests(since).map((entry) => [entry.path, entry.status]),
      [[`/v2/jobs/${job.id}`, 404]],
    );
    assert.equal(response.status, 404);
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
    // CloudConvert's own sandbox host, sent to the local sandbox: the URL the kit asked for is what counts.
    const routed = routedToSandbox(sandbox.cloudconvert.api);
    const handler = cloudConvertJobs({
      apiKey,
      sandbox: true,
      formats: ['pdf'],
      ticketSecret: TEST_KEY,
      clientIp: () => '203.0.113.10',
      fetch: routed,
    });
    const response = await handler(postJson(ENDPOINT, batchBody('cloudconvert', 1)));
    assert.equal(response.status, 200);
    assert.deepEqual(routed.asked, ['https://api.sandbox.cloudconvert.com/v2/jobs']);
  });
});
