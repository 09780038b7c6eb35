import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from 'convert-uploader-sandbox';
import { convertApiTokens, toNodeListener, type ConvertApiTokensOptions } from '../../../src/server/index.js';
import { batchBody, passThroughFetch } from '../helpers/server-fixtures.js';
import { listen } from '../helpers/server-node-http.js';
import { convertApiConvert, convertApiUpload } from '../helpers/server-sandbox-flows.js';

let sandbox: Sandbox;
let fileId: string;

before(async () => {
  sandbox = await startSandbox({ port: 0 });
  fileId = await convertApiUpload(sandbox.convertapi.base, 'notes.txt', 'Hello from the server kit.');
});
after(() => sandbox.close());

/** Serves a token endpoint over real HTTP (so the client IP is the socket's) and asks it for `files` uses. */
async function tokenFor(options: Partial<ConvertApiTokensOptions>, files: number) {
  const handler = convertApiTokens({
    secret: sandbox.convertapi.secret,
    apiKey: sandbox.convertapi.apiKey,
    apiBase: sandbox.convertapi.base,
    ...options,
  });
  const server = await listen(toNodeListener(handler));
  try {
    const response = await fetch(`${server.url}/api/convert/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(batchBody('convertapi', files, 'pdf')),
    });
    assert.equal(response.status, 200);
    return (await response.json()) as { token: string; expiresAt: string; requestCount: number };
  } finally {
    await server.close();
  }
}

describe('convertApiTokens against the sandbox', () => {
  it('jwt mode: the JWT allows exactly RequestCount conversions, then ConvertAPI refuses it with 4012', async () => {
    const { token, requestCount } = await tokenFor({}, 2);
    assert.equal(requestCount, 2);
    for (let use = 0; use < 2; use += 1) {
      const converted = await convertApiConvert(sandbox.convertapi.base, token, fileId);
      assert.equal(converted.status, 200);
      assert.ok(converted.body.Files?.[0]?.Url);
    }
    const refused = await convertApiConvert(sandbox.convertapi.base, token, fileId);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.Code, 4012);
  });

  it('jwt mode: the JWT stops working at its ValidUntil', async (context) => {
    const before = Date.now();
    const { token, expiresAt } = await tokenFor({ lifetime: 60 }, 3);
    const after = Date.now();
    // ValidUntil is in whole seconds: 60 s after some moment of the call, rounded down.
    const validUntil = Date.parse(expiresAt);
    assert.ok(
      validUntil >= Math.floor(before / 1000) * 1000 + 60_000 && validUntil <= after + 60_000,
      expiresAt,
    );
    assert.equal((await convertApiConvert(sandbox.convertapi.base, token, fileId)).status, 200);
    context.mock.timers.enable({ apis: ['Date'], now: Date.now() + 61_000 });
    const expired = await convertApiConvert(sandbox.convertapi.base, token, fileId);
    context.mock.timers.reset();
    assert.equal(expired.status, 401);
    assert.equal(expired.body.Code, 4012);
  });

  it('bindClientIp: works from the bound IP (127.0.0.1) and is refused from another', async () => {
    const bound = await tokenFor({ bindClientIp: true }, 1);
    assert.equal((await convertApiConvert(sandbox.convertapi.base, bound.token, fileId)).status, 200);
    const elsewhere = await tokenFor({ bindClientIp: true, clientIp: () => '203.0.113.50' }, 1);
    const refused = await convertApiConvert(sandbox.convertapi.base, elsewhere.token, fileId);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.Code, 4012);
  });

  it('jwt mode: a JWT signed with another secret is refused', async () => {
    const { token } = await tokenFor({ secret: 'not-the-account-secret-0123456789' }, 1);
    const refused = await convertApiConvert(sandbox.convertapi.base, token, fileId);
    assert.equal(refused.body.Code, 4012);
  });

  it('token mode: creates a token with the secret in the header, valid for exactly RequestCount uses', async () => {
    const since = sandbox.requests().at(-1)?.seq ?? 0;
    const before = Date.now();
    const { token, requestCount, expiresAt } = await tokenFor(
      { mode: 'token', apiKey: undefined, lifetime: 120 },
      2,
    );
    const after = Date.now();
    assert.equal(requestCount, 2);
    const validUntil = Date.parse(expiresAt);
    assert.ok(validUntil >= before + 120_000 && validUntil <= after + 120_000, expiresAt);
    const creation = sandbox.requests(since).find((entry) => entry.path === '/token/create');
    assert.equal(creation?.status, 200);
    assert.deepEqual(creation.credential, { kind: 'secret', where: 'header' });
    for (let use = 0; use < 2; use += 1) {
      assert.equal((await convertApiConvert(sandbox.convertapi.base, token, fileId)).status, 200);
    }
    const refused = await convertApiConvert(sandbox.convertapi.base, token, fileId);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.Code, 4011);
  });

  it('never sends a credential in a query string', async () => {
    // Its own traffic, whatever ran before: a JWT, a token-mode token (created with the secret) and a
    // conversion with each.
    const since = sandbox.requests().at(-1)?.seq ?? 0;
    const upstream = passThroughFetch();
    const jwt = await tokenFor({ fetch: upstream }, 1);
    const token = await tokenFor({ mode: 'token', apiKey: undefined, fetch: upstream }, 1);
    // What the kit asked ConvertAPI for (the sandbox logs only the credential it used, not the query).
    assert.deepEqual(
      upstream.calls.map((call) => [call.method, new URL(call.url).pathname]),
      [['POST', new URL(`${sandbox.convertapi.base}/token/create`).pathname]],
    );
    for (const call of upstream.calls) {
      const query = new URL(call.url).searchParams;
      assert.deepEqual([...query.keys()].sort(), ['Count', 'Lifetime', 'RequestCount'], call.url);
      assert.ok(!call.url.includes(sandbox.convertapi.secret), 'the secret is in the URL');
      assert.equal(call.headers.get('authorization'), `Bearer ${sandbox.convertapi.secret}`);
    }
    for (const { token: credential } of [jwt, token]) {
      assert.equal((await convertApiConvert(sandbox.convertapi.base, credential, fileId)).status, 200);
    }
    const logged = sandbox.requests(since);
    assert.deepEqual(
      logged.map((entry) => [entry.method, entry.path, entry.status, entry.credential]),
      [
        ['POST', '/token/create', 200, { kind: 'secret', where: 'header' }],
        ['POST', '/convert/txt/to/pdf', 200, { kind: 'jwt', where: 'header' }],
        ['POST', '/convert/txt/to/pdf', 200, { kind: 'token', where: 'header' }],
      ],
    );
    assert.deepEqual(
      sandbox.requests().filter((entry) => entry.credential.where === 'query'),
      [],
      'no request of this file sent one in the query either',
    );
  });
});
