import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from 'convert-uploader-sandbox';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import {
  CONVERTAPI_CLAIM_NAMES,
  convertApiTokens,
  type ConvertApiTokensOptions,
  type IssueEvent,
} from '../../../src/server/index.js';
import {
  batchBody,
  bodyOf,
  passThroughFetch,
  postJson,
  SITE,
  TEST_SECRET,
  type Answer,
} from '../helpers/server-fixtures.js';
import { listen } from '../helpers/server-node-http.js';
import { convertApiConvert, convertApiUpload, lastSeq } from '../helpers/server-sandbox-flows.js';

const ENDPOINT = `${SITE}/api/convert/token`;
const API_KEY = '834345618';

function jwtEndpoint(options: Partial<ConvertApiTokensOptions> = {}) {
  const issued: IssueEvent[] = [];
  const handler = convertApiTokens({
    secret: TEST_SECRET,
    apiKey: API_KEY,
    onIssue: (event) => void issued.push(event),
    clientIp: () => '203.0.113.10',
    ...options,
  });
  return { handler, issued };
}

async function verified(token: string, secret = TEST_SECRET) {
  return (await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'] })).payload;
}

describe('convertApiTokens, jwt mode', () => {
  it('signs an HS256 JWT with the documented claims: Id, RequestCount = files, ValidUntil = now + lifetime, ApiKey', async (context) => {
    const { handler } = jwtEndpoint({ lifetime: 300 });
    const now = Date.now();
    context.mock.timers.enable({ apis: ['Date'], now });
    const response = await handler(postJson(ENDPOINT, batchBody('convertapi', 3)));
    context.mock.timers.reset();
    assert.equal(response.status, 200);
    const body = await bodyOf(response);
    assert.equal(body.provider, 'convertapi');
    assert.equal(body.requestCount, 3);
    assert.deepEqual(decodeProtectedHeader(body.token), { alg: 'HS256', typ: 'JWT' });
    const claims = await verified(body.token);
    assert.match(String(claims[CONVERTAPI_CLAIM_NAMES.id]), /^[A-Za-z0-9]{8}$/);
    assert.equal(claims.RequestCount, 3);
    assert.equal(claims.ApiKey, API_KEY);
    assert.equal(claims.UserIp, undefined);
    const validUntil = claims.ValidUntil as number;
    assert.equal(validUntil, Math.floor(now / 1000) + 300);
    assert.equal(body.expiresAt, new Date(validUntil * 1000).toISOString());
    assert.deepEqual(Object.keys(claims).sort(), ['ApiKey', 'Id', 'RequestCount', 'ValidUntil']);
  });

  it('caps RequestCount at maxRequestsPerBatch', async () => {
    const { handler } = jwtEndpoint({ maxRequestsPerBatch: 2 });
    const body = await bodyOf(await handler(postJson(ENDPOINT, batchBody('convertapi', 5))));
    assert.equal(body.requestCount, 2);
    assert.equal((await verified(body.token)).RequestCount, 2);
  });

  it('gives every token a fresh Id', async () => {
    const { handler } = jwtEndpoint();
    const ids = new Set<unknown>();
    for (let round = 0; round < 20; round += 1) {
      const body = await bodyOf(await handler(postJson(ENDPOINT, batchBody('convertapi', 1))));
      ids.add((await verified(body.token)).Id);
    }
    assert.equal(ids.size, 20);
  });

  it('binds UserIp to the client IP the resolver reports', async () => {
    const { handler } = jwtEndpoint({ bindClientIp: true, clientIp: () => '203.0.113.9' });
    const body = await bodyOf(await handler(postJson(ENDPOINT, batchBody('convertapi', 1))));
    assert.equal((await verified(body.token)).UserIp, '203.0.113.9');
  });

  it('refuses to issue an IP-bound token when the client IP is unknown (500, reported to onError)', async () => {
    const errors: Error[] = [];
    const { handler, issued } = jwtEndpoint({
      bindClientIp: true,
      clientIp: () => undefined,
      onError: (error) => void errors.push(error),
    });
    const response = await handler(postJson(ENDPOINT, batchBody('convertapi', 1)));
    assert.equal(response.status, 500);
    assert.equal((await bodyOf(response)).token, undefined);
    assert.equal(issued.length, 0);
    assert.match(errors[0]?.message ?? '', /clientIp/);
  });

  it('signs with the first secret of a rotation list', async () => {
    const current = 'current-secret-0123456789abcdef';
    const { handler } = jwtEndpoint({ secret: undefined, secrets: [current, TEST_SECRET] });
    const body = await bodyOf(await handler(postJson(ENDPOINT, batchBody('convertapi', 1))));
    await verified(body.token, current);
    await assert.rejects(verified(body.token, TEST_SECRET));
  });

  it('tells onIssue what was issued but never the token, and withholds the token when onIssue throws', async () => {
    const { handler, issued } = jwtEndpoint({ clientIp: () => '198.51.100.1' });
    const body = await bodyOf(await handler(postJson(ENDPOINT, batchBody('convertapi', 2))));
    assert.equal(issued.length, 1);
    const event = issued[0] as IssueEvent;
    assert.equal(event.kind, 'convertapi-jwt');
    assert.equal(event.clientIp, '198.51.100.1');
    assert.equal(event.requestCount, 2);
    assert.equal(event.files.length, 2);
    assert.ok(!JSON.stringify(event).includes(body.token));
    assert.ok(!JSON.stringify(event).includes(TEST_SECRET));

    const vetoing = jwtEndpoint({ onIssue: () => Promise.reject(new Error('quota')) });
    const refused = await vetoing.handler(postJson(ENDPOINT, batchBody('convertapi', 1)));
    assert.equal(refused.status, 500);
    assert.equal((await bodyOf(refused)).token, undefined);
  });

  it('marks the answer as not cacheable', async () => {
    const { handler } = jwtEndpoint();
    const response = await handler(postJson(ENDPOINT, batchBody('convertapi', 1)));
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('pragma'), 'no-cache');
  });
});

// Token mode against the sandbox's ConvertAPI (`POST /token/create` with real RequestCount and Lifetime
// semantics); its failures are the sandbox's own answers or its fault injection.
describe('convertApiTokens, token mode', () => {
  let sandbox: Sandbox;
  let fileId: string;
  before(async () => {
    sandbox = await startSandbox({ port: 0 });
    fileId = await convertApiUpload(sandbox.convertapi.base, 'notes.txt', 'Token mode, converted.');
  });
  after(() => sandbox.close());

  const tokenMode = (options: Partial<ConvertApiTokensOptions> = {}) =>
    jwtEndpoint({
      mode: 'token',
      secret: sandbox.convertapi.secret,
      apiKey: undefined,
      apiBase: sandbox.convertapi.base,
      ...options,
    });

  it('calls POST /token/create with the secret as Bearer and RequestCount/Lifetime in the query', async () => {
    const upstream = passThroughFetch();
    const { handler, issued } = tokenMode({ lifetime: 900, fetch: upstream });
    const since = lastSeq(sandbox);
    const before = Date.now();
    const response = await handler(postJson(ENDPOINT, batchBody('convertapi', 3)));
    const after = Date.now();
    assert.equal(response.status, 200);
    const body = await bodyOf(response);
    assert.deepEqual(Object.keys(body).sort(), ['expiresAt', 'provider', 'requestCount', 'token']);
    assert.equal(body.provider, 'convertapi');
    assert.equal(body.requestCount, 3);
    // Lifetime=900 reached ConvertAPI: its ValidUntil is 900 s after some moment of the call.
    const expiresAt = Date.parse(body.expiresAt);
    assert.ok(expiresAt >= before + 900_000 && expiresAt <= after + 900_000, body.expiresAt);
    const [call] = upstream.calls;
    assert.ok(call);
    const url = new URL(call.url);
    assert.equal(call.method, 'POST');
    assert.equal(url.origin + url.pathname, `${sandbox.convertapi.base}/token/create`);
    assert.equal(url.searchParams.get('RequestCount'), '3');
    assert.equal(url.searchParams.get('Lifetime'), '900');
    assert.ok(
      !call.url.includes(sandbox.convertapi.secret),
      'the secret must not travel in the query string',
    );
    assert.equal(call.headers.get('authorization'), `Bearer ${sandbox.convertapi.secret}`);
    const creation = sandbox.requests(since).filter((entry) => entry.path === '/token/create');
    assert.deepEqual(
      creation.map((entry) => [entry.method, entry.status, entry.credential]),
      [['POST', 200, { kind: 'secret', where: 'header' }]],
    );
    assert.equal(issued[0]?.kind, 'convertapi-token');
    // RequestCount=3 reached ConvertAPI: the token converts three times, then it is used up (4011).
    for (let use = 0; use < 3; use += 1) {
      assert.equal((await convertApiConvert(sandbox.convertapi.base, body.token, fileId)).status, 200);
    }
    const refused = await convertApiConvert(sandbox.convertapi.base, body.token, fileId);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.Code, 4011);
  });

  it('answers a generic 502 when ConvertAPI fails, leaking neither its message nor the secret', async () => {
    const wrongSecret = 'not-the-account-secret-0123456789';
    // ConvertAPI's own refusal of a wrong secret (4010), then one that echoes the secret back (a fault).
    for (const secret of [wrongSecret, sandbox.convertapi.secret]) {
      if (secret === sandbox.convertapi.secret) {
        sandbox.addFaults({
          match: { service: 'convertapi', method: 'POST', path: '/token/create' },
          times: 1,
          action: { status: 401, body: { Code: 4010, Message: `Bad secret ${secret}` } },
        });
      }
      const errors: Error[] = [];
      const { handler, issued } = tokenMode({ secret, onError: (error) => void errors.push(error) });
      const since = lastSeq(sandbox);
      const response = await handler(postJson(ENDPOINT, batchBody('convertapi', 1)));
      assert.equal(response.status, 502);
      assert.deepEqual(
        sandbox.requests(since).map((entry) => [entry.path, entry.status]),
        [['/token/create', 401]],
      );
      const text = await response.text();
      for (const leak of [
        secret,
        sandbox.convertapi.secret,
        '4010',
        'Invalid user credentials',
        'Bad secret',
      ]) {
        assert.ok(!text.includes(leak), `the answer shows ${leak}`);
      }
      assert.equal((JSON.parse(text) as Answer).error.code, 'upstream-failed');
      assert.equal(issued.length, 0);
      assert.equal((errors[0] as { upstreamCode?: string }).upstreamCode, '4010');
    }
  });

  it('answers 502 when ConvertAPI answers without a usable token, or cannot be reached', async () => {
    // Answers the sandbox never gives by itself, made by its fault injection.
    const broken = [
      { status: 200, body: { Tokens: [] } },
      { status: 200, body: { Tokens: [{ Id: 'x', ValidUntil: 'soon' }] } },
      { malformed: true },
    ];
    for (const action of broken) {
      sandbox.addFaults({ match: { service: 'convertapi', path: '/token/create' }, times: 1, action });
      const since = lastSeq(sandbox);
      const { handler, issued } = tokenMode();
      const response = await handler(postJson(ENDPOINT, batchBody('convertapi', 1)));
      assert.equal(response.status, 502, JSON.stringify(action));
      assert.equal((await bodyOf(response)).token, undefined);
      assert.equal(issued.length, 0);
      assert.deepEqual(
        sandbox.requests(since).map((entry) => [entry.path, entry.fault]),
        [['/token/create', true]],
      );
    }
    // Nothing listens on the API base.
    const gone = await listen(() => undefined);
    await gone.close();
    const { handler } = tokenMode({ apiBase: `${gone.url}/convertapi` });
    assert.equal((await handler(postJson(ENDPOINT, batchBody('convertapi', 1)))).status, 502);
  });

  it('does not call ConvertAPI for an invalid batch', async () => {
    const since = lastSeq(sandbox);
    const { handler } = tokenMode();
    const response = await handler(
      postJson(ENDPOINT, { ...batchBody('convertapi', 1), files: [{ name: '../x', size: 1, type: '' }] }),
    );
    assert.equal(response.status, 400);
    assert.deepEqual(sandbox.requests(since), []);
  });
});

describe('convertApiTokens, startup checks', () => {
  const refuses = (options: Partial<ConvertApiTokensOptions>, message: RegExp): void => {
    assert.throws(() => convertApiTokens({ secret: TEST_SECRET, apiKey: API_KEY, ...options }), {
      name: 'ConfigurationError',
      message,
    });
  };

  it('refuses a missing or short secret without echoing it', () => {
    refuses({ secret: undefined }, /"secret" is required/);
    refuses({ secret: 'short-one' }, /too short/);
    try {
      convertApiTokens({ secret: 'short-one', apiKey: API_KEY });
    } catch (error) {
      assert.ok(!(error as Error).message.includes('short-one'));
    }
    refuses({ secrets: [TEST_SECRET] }, /only one of/);
  });

  it('refuses a lifetime above the cap, a missing apiKey in jwt mode and IP binding in token mode', () => {
    refuses({ lifetime: 3601 }, /above the cap of 3600/);
    refuses({ lifetime: 0 }, /lifetime/);
    refuses({ apiKey: undefined }, /"apiKey" is required/);
    refuses({ mode: 'token', bindClientIp: true }, /needs mode "jwt"/);
    refuses({ mode: 'sometimes' as 'jwt' }, /"mode"/);
  });

  it('refuses wildcard origins and a plain-http API base', () => {
    refuses({ allowedOrigins: ['*'] }, /must not contain "\*"/);
    refuses({ apiBase: 'http://convertapi.example' }, /https/);
    assert.doesNotThrow(() =>
      convertApiTokens({ secret: TEST_SECRET, apiKey: API_KEY, apiBase: 'http://127.0.0.1:8787/convertapi' }),
    );
  });
});
