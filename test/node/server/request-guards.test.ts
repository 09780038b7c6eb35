import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  convertApiTokens,
  type ConvertApiTokensOptions,
  type IssueEvent,
} from '../../../src/server/index.js';
import { createOriginPolicy } from '../../../src/server/origin-policy.js';
import { createRateLimiter } from '../../../src/server/rate-limiter.js';
import { memoryRateLimitStore } from '../../../src/server/rate-limit-store.js';
import { readJsonBody } from '../../../src/server/request-body.js';
import { fileNameProblem } from '../../../src/contract/file-name-check.js';
import {
  batchBody,
  bodyOf,
  fileOf,
  PARTNER,
  postJson,
  SITE,
  TEST_SECRET,
} from '../helpers/server-fixtures.js';

const ENDPOINT = `${SITE}/api/convert/token`;

function endpoint(options: Partial<ConvertApiTokensOptions> = {}) {
  const issued: IssueEvent[] = [];
  const handler = convertApiTokens({
    secret: TEST_SECRET,
    apiKey: '123456789',
    allowedOrigins: [PARTNER],
    onIssue: (event) => void issued.push(event),
    clientIp: () => '203.0.113.10',
    ...options,
  });
  return { handler, issued };
}

async function refusal(response: Response, status: number, code: string): Promise<void> {
  assert.equal(response.status, status);
  const body = await bodyOf(response);
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.equal(body.token, undefined);
  assert.equal(response.headers.get('cache-control'), 'no-store');
}

describe('origin checks', () => {
  it('answers a listed origin with CORS headers for credentialed requests, never a wildcard', async () => {
    const { handler } = endpoint();
    const response = await handler(postJson(ENDPOINT, batchBody('convertapi', 1), { origin: PARTNER }));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), PARTNER);
    assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
    assert.match(response.headers.get('vary') ?? '', /Origin/);
  });

  it('refuses a page on another origin and issues nothing', async () => {
    const { handler, issued } = endpoint();
    const response = await handler(
      postJson(ENDPOINT, batchBody('convertapi', 1), {
        origin: 'https://evil.example',
        headers: { 'Sec-Fetch-Site': 'cross-site' },
      }),
    );
    await refusal(response, 403, 'origin-not-allowed');
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    assert.equal(issued.length, 0);
  });

  it('allows same-origin pages, including behind a proxy where only Sec-Fetch-Site says so', async () => {
    const { handler } = endpoint({ allowedOrigins: [] });
    assert.equal(
      (await handler(postJson(ENDPOINT, batchBody('convertapi', 1), { origin: SITE }))).status,
      200,
    );
    const proxied = postJson('http://10.0.0.5:3000/api/convert/token', batchBody('convertapi', 1), {
      origin: SITE,
      headers: { 'Sec-Fetch-Site': 'same-origin' },
    });
    assert.equal((await handler(proxied)).status, 200);
  });

  it('allows non-browser clients (no Origin, no Sec-Fetch-Site) and refuses cross-site requests without Origin', async () => {
    const { handler } = endpoint();
    assert.equal(
      (await handler(postJson(ENDPOINT, batchBody('convertapi', 1), { origin: null }))).status,
      200,
    );
    const crossSite = postJson(ENDPOINT, batchBody('convertapi', 1), {
      origin: null,
      headers: { 'Sec-Fetch-Site': 'same-site' },
    });
    await refusal(await handler(crossSite), 403, 'origin-not-allowed');
  });

  it('refuses the opaque "null" origin (sandboxed frames, file: pages)', async () => {
    const { handler } = endpoint();
    const response = await handler(
      postJson(ENDPOINT, batchBody('convertapi', 1), {
        origin: 'null',
        headers: { 'Sec-Fetch-Site': 'cross-site' },
      }),
    );
    await refusal(response, 403, 'origin-not-allowed');
  });

  it('answers preflights from listed origins only', async () => {
    const { handler } = endpoint({ allowedHeaders: ['X-CSRF-Token'] });
    const preflight = (origin: string) =>
      handler(
        new Request(ENDPOINT, {
          method: 'OPTIONS',
          headers: {
            Origin: origin,
            'Access-Control-Request-Method': 'POST',
            'Sec-Fetch-Site': 'cross-site',
          },
        }),
      );
    const allowed = await preflight(PARTNER);
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), PARTNER);
    assert.match(allowed.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.equal(allowed.headers.get('access-control-allow-headers'), 'Content-Type, X-CSRF-Token');
    const refused = await preflight('https://evil.example');
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
  });

  it('refuses a wildcard, paths and plain-http public origins at startup', () => {
    assert.throws(() => createOriginPolicy(['*'], undefined), {
      name: 'ConfigurationError',
      message: /must not contain "\*"/,
    });
    assert.throws(() => createOriginPolicy(['https://a.example/path'], undefined), {
      name: 'ConfigurationError',
    });
    assert.throws(() => createOriginPolicy(['http://a.example'], undefined), { name: 'ConfigurationError' });
    assert.doesNotThrow(() =>
      createOriginPolicy(['http://localhost:5173', 'http://127.0.0.1:8080'], undefined),
    );
  });
});

describe('authorize hook', () => {
  it('answers 403 and issues nothing when it returns false or throws', async () => {
    for (const authorize of [() => false, () => Promise.reject(new Error('session store down'))]) {
      const errors: Error[] = [];
      const { handler, issued } = endpoint({ authorize, onError: (error) => void errors.push(error) });
      await refusal(await handler(postJson(ENDPOINT, batchBody('convertapi', 1))), 403, 'forbidden');
      assert.equal(issued.length, 0);
    }
  });

  it('sees the request headers, and its true lets the request through', async () => {
    let seen: string | null = null;
    const { handler } = endpoint({
      authorize: (request) => {
        seen = request.headers.get('x-csrf-token');
        return seen === 'expected';
      },
    });
    const response = await handler(
      postJson(ENDPOINT, batchBody('convertapi', 1), { headers: { 'X-CSRF-Token': 'expected' } }),
    );
    assert.equal(response.status, 200);
    assert.equal(seen, 'expected');
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a client exceeds its window, per client IP', async () => {
    const byHeader = (request: Request) => request.headers.get('x-test-ip') ?? undefined;
    const { handler, issued } = endpoint({ rateLimit: { windowMs: 60_000, max: 2 }, clientIp: byHeader });
    const ask = (ip: string) =>
      handler(postJson(ENDPOINT, batchBody('convertapi', 1), { headers: { 'X-Test-IP': ip } }));
    assert.equal((await ask('1.1.1.1')).status, 200);
    assert.equal((await ask('1.1.1.1')).status, 200);
    const limited = await ask('1.1.1.1');
    await refusal(limited, 429, 'rate-limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60);
    assert.equal((await ask('2.2.2.2')).status, 200);
    assert.equal(issued.length, 3);
  });

  it('starts a new window after windowMs and forgets nothing early', async (t) => {
    t.mock.timers.enable({ apis: ['Date'], now: 0 });
    const window = { windowMs: 1000, max: 1 };
    const limiter = createRateLimiter(window, window, 'rateLimit', memoryRateLimitStore(), 'test');
    assert.deepEqual(await limiter.take('a'), { allowed: true });
    t.mock.timers.tick(999);
    assert.deepEqual(await limiter.take('a'), { allowed: false, retryAfterSec: 1 });
    t.mock.timers.tick(1);
    assert.deepEqual(await limiter.take('a'), { allowed: true });
  });

  it('refuses nonsense limits at startup', () => {
    assert.throws(() => endpoint({ rateLimit: { windowMs: 10, max: 1 } }), { name: 'ConfigurationError' });
    assert.throws(() => endpoint({ rateLimit: { windowMs: 60_000, max: 0 } }), {
      name: 'ConfigurationError',
    });
  });
});

describe('request body', () => {
  it('refuses a body above the limit while streaming, whatever Content-Length claims', async () => {
    let pulled = 0;
    const chunk = new TextEncoder().encode(' '.repeat(16 * 1024));
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(chunk);
      },
    });
    const request = new Request(ENDPOINT, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': '10' },
      body: endless,
      duplex: 'half',
    } as RequestInit);
    await assert.rejects(readJsonBody(request, 64 * 1024), { status: 413, code: 'payload-too-large' });
    assert.ok(pulled <= 6, `read ${pulled} chunks of an endless body`);
  });

  it('refuses a declared Content-Length above the limit before reading', async () => {
    const { handler, issued } = endpoint();
    const big = JSON.stringify({ ...batchBody('convertapi', 1), padding: 'x'.repeat(70_000) });
    await refusal(await handler(postJson(ENDPOINT, big)), 413, 'payload-too-large');
    assert.equal(issued.length, 0);
  });

  it('refuses non-JSON content types, broken JSON and invalid UTF-8', async () => {
    const { handler } = endpoint();
    const asText = new Request(ENDPOINT, {
      method: 'POST',
      headers: { Origin: SITE, 'Content-Type': 'text/plain' },
      body: JSON.stringify(batchBody('convertapi', 1)),
    });
    await refusal(await handler(asText), 415, 'invalid-request');
    await refusal(await handler(postJson(ENDPOINT, '{"provider":')), 400, 'invalid-request');
    const badUtf8 = new Request(ENDPOINT, {
      method: 'POST',
      headers: { Origin: SITE, 'Content-Type': 'application/json' },
      body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
    });
    await refusal(await handler(badUtf8), 400, 'invalid-request');
  });

  it('answers 405 with Allow for other methods', async () => {
    const { handler } = endpoint();
    const response = await handler(new Request(ENDPOINT, { method: 'GET', headers: { Origin: SITE } }));
    await refusal(response, 405, 'method-not-allowed');
    assert.equal(response.headers.get('allow'), 'POST');
  });
});

describe('batch validation', () => {
  const cases: Array<[string, unknown, number, string]> = [
    ['an array body', [batchBody('convertapi', 1)], 400, 'invalid-request'],
    ['another provider', batchBody('cloudconvert', 1), 400, 'invalid-request'],
    ['no output format', { provider: 'convertapi', files: [fileOf(0)] }, 400, 'invalid-request'],
    ['a format with a path', { ...batchBody('convertapi', 1), to: '../pdf' }, 400, 'invalid-request'],
    [
      'files as an object',
      { ...batchBody('convertapi', 1), files: { 0: fileOf(0) } },
      400,
      'invalid-request',
    ],
    ['no files', { ...batchBody('convertapi', 1), files: [] }, 400, 'invalid-request'],
    ['10,000 files', batchBody('convertapi', 10_000), 400, 'too-many-files'],
    [
      'a size as a string',
      { ...batchBody('convertapi', 1), files: [{ ...fileOf(0), size: '1000' }] },
      400,
      'invalid-request',
    ],
    [
      'a negative size',
      { ...batchBody('convertapi', 1), files: [{ ...fileOf(0), size: -1 }] },
      400,
      'invalid-request',
    ],
    [
      'a fractional size',
      { ...batchBody('convertapi', 1), files: [{ ...fileOf(0), size: 1.5 }] },
      400,
      'invalid-request',
    ],
    ['an empty file', { ...batchBody('convertapi', 1), files: [fileOf(0, 0)] }, 400, 'empty-file'],
    [
      'a file too large',
      { ...batchBody('convertapi', 1), files: [fileOf(0, 2_000_001)] },
      400,
      'file-too-large',
    ],
    [
      'a name as a number',
      { ...batchBody('convertapi', 1), files: [{ ...fileOf(0), name: 7 }] },
      400,
      'invalid-request',
    ],
    [
      'path traversal',
      { ...batchBody('convertapi', 1), files: [{ ...fileOf(0), name: '../../etc/passwd' }] },
      400,
      'invalid-file-name',
    ],
    [
      'a Windows path',
      { ...batchBody('convertapi', 1), files: [{ ...fileOf(0), name: '..\\boot.ini' }] },
      400,
      'invalid-file-name',
    ],
    [
      'a control character',
      { ...batchBody('convertapi', 1), files: [{ ...fileOf(0), name: 'a\u0000.docx' }] },
      400,
      'invalid-file-name',
    ],
    [
      'a huge type',
      { ...batchBody('convertapi', 1), files: [{ ...fileOf(0), type: 'x'.repeat(300) }] },
      400,
      'invalid-request',
    ],
    ['a format not offered', { ...batchBody('convertapi', 1), to: 'png' }, 400, 'conversion-unsupported'],
    [
      'an input not accepted',
      { ...batchBody('convertapi', 1), files: [fileOf(0, 1000, 'exe')] },
      400,
      'file-type-not-accepted',
    ],
    [
      'an input not accepted, named by "from" for a file without extension',
      { ...batchBody('convertapi', 1), from: 'exe', files: [{ ...fileOf(0), name: 'file-0' }] },
      400,
      'file-type-not-accepted',
    ],
  ];
  for (const [label, body, status, code] of cases) {
    it(`refuses ${label} with ${status} ${code}, issuing nothing`, async () => {
      const { handler, issued } = endpoint({
        maxFiles: 5,
        maxFileSize: 2_000_000,
        allowedFormats: { to: ['pdf'], from: ['docx', 'md'] },
        maxBodyBytes: 1024 * 1024,
      });
      await refusal(await handler(postJson(ENDPOINT, body)), status, code);
      assert.equal(issued.length, 0);
    });
  }

  it('says how many files it takes when refusing too many, so the element can ask again for fewer', async () => {
    const { handler } = endpoint({ maxFiles: 5 });
    const answer = await handler(postJson(ENDPOINT, batchBody('convertapi', 6)));
    assert.equal(answer.status, 400);
    assert.deepEqual(((await answer.json()) as { error: unknown }).error, {
      code: 'too-many-files',
      message: 'At most 5 files may be converted at once.',
      limit: '5',
    });
  });

  it('takes the input format from each file extension when "from" is absent', async () => {
    const { handler } = endpoint({ allowedFormats: { to: ['pdf'], from: ['md'] } });
    const body = {
      provider: 'convertapi',
      to: 'PDF',
      files: [{ name: 'notes.MD', size: 10, type: 'text/markdown' }],
    };
    assert.equal((await handler(postJson(ENDPOINT, body))).status, 200);
    const other = { ...body, files: [{ name: 'notes.txt', size: 10, type: 'text/plain' }] };
    await refusal(await handler(postJson(ENDPOINT, other)), 400, 'file-type-not-accepted');
  });

  it('checks each file by its own extension, and by "from" only a file without one', async () => {
    const { handler } = endpoint({ allowedFormats: { to: ['pdf'], from: ['md'] } });
    const body = (from: string, name: string) => ({
      provider: 'convertapi',
      from,
      to: 'pdf',
      files: [{ name, size: 10, type: '' }],
    });
    assert.equal((await handler(postJson(ENDPOINT, body('exe', 'notes.md')))).status, 200);
    assert.equal((await handler(postJson(ENDPOINT, body('md', 'notes')))).status, 200);
    await refusal(await handler(postJson(ENDPOINT, body('md', 'notes.exe'))), 400, 'file-type-not-accepted');
  });

  it('survives deeply nested JSON without crashing', async () => {
    const { handler } = endpoint();
    const nested = `{"provider":"convertapi","to":"pdf","files":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const response = await handler(postJson(ENDPOINT, nested));
    assert.equal(response.status, 400);
  });
});

describe('file names', () => {
  it('accepts ordinary and international names', () => {
    for (const name of ['report.docx', 'Résumé 2024 (final).pdf', '报告.txt', '.bashrc', 'a'.repeat(255)]) {
      assert.equal(fileNameProblem(name), undefined, name);
    }
  });

  it('refuses traversal, separators, controls, bidi overrides, lone surrogates and overlong names', () => {
    for (const name of [
      '',
      '.',
      '..',
      'a/b',
      'a\\b',
      'x\ny',
      'fdp\u202Eexe.pdf',
      'bad\uD800.txt',
      ' lead.txt',
      'a'.repeat(256),
    ]) {
      assert.notEqual(fileNameProblem(name), undefined, JSON.stringify(name));
    }
  });
});
