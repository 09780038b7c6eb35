import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  cloudConvertOAuth,
  memoryTokenStore,
  type CloudConvertOAuthOptions,
  type IssueEvent,
  type TokenStore,
} from '../../../src/server/index.js';
import { createSealer } from '../../../src/server/sealed-token.js';
import { CookieJar } from '../helpers/server-cookie-jar.js';
import {
  batchBody,
  bodyOf,
  json,
  PARTNER,
  postJson,
  recordingFetch,
  SITE,
  TEST_KEY,
  type Answer,
} from '../helpers/server-fixtures.js';

const REDIRECT_URI = `${SITE}/api/convert/oauth/callback`;
const TOKEN_URL = 'https://oauth.cloudconvert.test/oauth/token';
const AUTHORIZE_URL = 'https://oauth.cloudconvert.test/oauth/authorize';
const CLIENT_SECRET = 'client-secret-value-0123456789';

/** A fake OAuth token endpoint: one good code, rotating refresh tokens, configurable lifetime. */
function fakeTokenEndpoint({ lifetime = 3600 } = {}) {
  let challenge: string | undefined;
  let generation = 1;
  let liveRefreshToken = 'rt-1';
  const fetch = recordingFetch((call) => {
    const form = new URLSearchParams(call.body);
    if (form.get('client_id') !== 'client-1' || form.get('client_secret') !== CLIENT_SECRET) {
      return json({ error: 'invalid_client' }, 401);
    }
    if (form.get('grant_type') === 'authorization_code') {
      const verifier = form.get('code_verifier') ?? '';
      const computed = createHash('sha256').update(verifier).digest('base64url');
      if (
        form.get('code') !== 'good-code' ||
        computed !== challenge ||
        form.get('redirect_uri') !== REDIRECT_URI
      ) {
        return json({ error: 'invalid_grant' }, 400);
      }
      return json({
        token_type: 'Bearer',
        access_token: 'at-1',
        refresh_token: 'rt-1',
        expires_in: lifetime,
      });
    }
    if (form.get('grant_type') === 'refresh_token' && form.get('refresh_token') === liveRefreshToken) {
      generation += 1;
      liveRefreshToken = `rt-${generation}`;
      return json({
        token_type: 'Bearer',
        access_token: `at-${generation}`,
        refresh_token: liveRefreshToken,
        expires_in: lifetime,
      });
    }
    return json({ error: 'invalid_grant' }, 400);
  });
  return {
    fetch,
    setChallenge: (value: string | null) => void (challenge = value ?? undefined),
    revoke: () => void (liveRefreshToken = 'revoked'),
  };
}

function setup(options: Partial<CloudConvertOAuthOptions> = {}, lifetime?: number) {
  const upstream = fakeTokenEndpoint(lifetime === undefined ? {} : { lifetime });
  const records = new Map<string, string>();
  const store: TokenStore = {
    get: (visitorId) => records.get(visitorId),
    set: (visitorId, record) => void records.set(visitorId, record),
    delete: (visitorId) => void records.delete(visitorId),
  };
  const issued: IssueEvent[] = [];
  const handler = cloudConvertOAuth({
    clientId: 'client-1',
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    authorizeUrl: AUTHORIZE_URL,
    tokenUrl: TOKEN_URL,
    store,
    encryptionKey: TEST_KEY,
    allowedOrigins: [PARTNER],
    returnTo: '/converter',
    fetch: upstream.fetch,
    onIssue: (event) => void issued.push(event),
    clientIp: () => '203.0.113.10',
    ...options,
  });
  const get = (path: string, jar: CookieJar) =>
    handler(
      new Request(new URL(path, SITE), { headers: { Cookie: jar.header(), 'Sec-Fetch-Site': 'none' } }),
    );
  const post = (path: string, jar: CookieJar, body: unknown = batchBody('cloudconvert', 1), origin = SITE) =>
    handler(postJson(`${SITE}${path}`, body, { origin, headers: { Cookie: jar.header() } }));

  /** Runs the start route and returns the authorize URL. */
  const start = async (jar: CookieJar, query = ''): Promise<URL> => {
    const response = await get(`/api/convert/oauth/start${query}`, jar);
    assert.equal(response.status, 302);
    jar.take(response);
    const location = new URL(response.headers.get('location') ?? '');
    upstream.setChallenge(location.searchParams.get('code_challenge'));
    return location;
  };
  /** Start and callback with the good code. */
  const connect = async (jar: CookieJar): Promise<Response> => {
    const state = (await start(jar)).searchParams.get('state');
    const response = await get(`/api/convert/oauth/callback?code=good-code&state=${state}`, jar);
    jar.take(response);
    return response;
  };
  return { handler, upstream, records, issued, get, post, start, connect };
}

describe('cloudConvertOAuth: start', () => {
  it('redirects to the authorize URL with state and a PKCE S256 challenge, never the client secret', async () => {
    const { start } = setup();
    const jar = new CookieJar();
    const location = await start(jar);
    assert.equal(location.origin + location.pathname, AUTHORIZE_URL);
    const params = location.searchParams;
    assert.equal(params.get('response_type'), 'code');
    assert.equal(params.get('client_id'), 'client-1');
    assert.equal(params.get('redirect_uri'), REDIRECT_URI);
    assert.equal(params.get('scope'), 'task.read task.write');
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.match(params.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(params.get('state') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.ok(!location.href.includes(CLIENT_SECRET));
  });

  it('sets HttpOnly, Secure, SameSite=Lax __Host- cookies that hold no readable state or verifier', async () => {
    const { get } = setup();
    const response = await get('/api/convert/oauth/start', new CookieJar());
    const cookies = response.headers.getSetCookie();
    assert.equal(cookies.length, 2);
    for (const cookie of cookies) {
      assert.match(cookie, /^__Host-convert-uploader-(visitor|oauth)=/);
      assert.match(cookie, /; Path=\/;/);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Lax/);
      assert.match(cookie, /; Secure/);
    }
    const state = new URL(response.headers.get('location') ?? '').searchParams.get('state') ?? '';
    assert.ok(!cookies.join().includes(state), 'the flow cookie is encrypted');
  });

  it('drops Secure and the __Host- prefix only for a plain-http loopback redirect URI', async () => {
    const { handler } = setup({ redirectUri: 'http://localhost:5173/api/convert/oauth/callback' });
    const response = await handler(new Request('http://localhost:5173/api/convert/oauth/start'));
    for (const cookie of response.headers.getSetCookie()) {
      assert.match(cookie, /^convert-uploader-/);
      assert.doesNotMatch(cookie, /Secure/);
    }
  });
});

describe('cloudConvertOAuth: callback', () => {
  it('exchanges the code with the PKCE verifier, stores the tokens encrypted and returns to the site', async () => {
    const { connect, upstream, records } = setup();
    const response = await connect(new CookieJar());
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), `${SITE}/converter?cloudconvert=connected`);
    const exchange = new URLSearchParams(upstream.fetch.calls[0]?.body);
    assert.equal(exchange.get('grant_type'), 'authorization_code');
    assert.match(exchange.get('code_verifier') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal(records.size, 1);
    const [record] = records.values();
    assert.ok(record && !record.includes('rt-1') && !record.includes('at-1'), 'stored encrypted');
    assert.equal(record.split('.').length, 5, 'a compact JWE');
  });

  it('refuses a state that does not match and exchanges nothing', async () => {
    const { start, get, upstream, records } = setup();
    const jar = new CookieJar();
    await start(jar);
    const response = await get('/api/convert/oauth/callback?code=good-code&state=forged-state', jar);
    assert.equal(response.status, 400);
    assert.equal((await bodyOf(response)).error.code, 'invalid-state');
    assert.equal(upstream.fetch.calls.length, 0);
    assert.equal(records.size, 0);
  });

  it('refuses a callback in a browser that did not start the flow (login CSRF)', async () => {
    const { start, get, upstream } = setup();
    const attacker = new CookieJar();
    const state = (await start(attacker)).searchParams.get('state');
    const victim = new CookieJar();
    await start(victim);
    const response = await get(`/api/convert/oauth/callback?code=good-code&state=${state}`, victim);
    assert.equal(response.status, 400);
    const stranger = await get(`/api/convert/oauth/callback?code=good-code&state=${state}`, new CookieJar());
    assert.equal(stranger.status, 400);
    assert.equal(upstream.fetch.calls.length, 0);
  });

  it('refuses a flow cookie moved to another visitor', async () => {
    const { start, get } = setup();
    const first = new CookieJar();
    const state = (await start(first)).searchParams.get('state');
    const second = new CookieJar();
    await start(second);
    second.cookies.set(
      '__Host-convert-uploader-oauth',
      first.cookies.get('__Host-convert-uploader-oauth') ?? '',
    );
    assert.equal(
      (await get(`/api/convert/oauth/callback?code=good-code&state=${state}`, second)).status,
      400,
    );
  });

  it('refuses an expired flow', async (context) => {
    context.mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const { start, get } = setup();
    const jar = new CookieJar();
    const state = (await start(jar)).searchParams.get('state');
    context.mock.timers.tick(601_000);
    assert.equal((await get(`/api/convert/oauth/callback?code=good-code&state=${state}`, jar)).status, 400);
  });

  it('returns with cloudconvert=denied when the user declines, and =failed when the exchange fails', async () => {
    const { start, get, upstream } = setup();
    const jar = new CookieJar();
    let state = (await start(jar)).searchParams.get('state');
    const denied = await get(`/api/convert/oauth/callback?error=access_denied&state=${state}`, jar);
    assert.equal(denied.headers.get('location'), `${SITE}/converter?cloudconvert=denied`);
    assert.equal(upstream.fetch.calls.length, 0);
    state = (await start(jar)).searchParams.get('state');
    const failed = await get(`/api/convert/oauth/callback?code=bad-code&state=${state}`, jar);
    assert.equal(failed.headers.get('location'), `${SITE}/converter?cloudconvert=failed`);
  });

  it('honours a local returnTo path on start and ignores an open redirect', async () => {
    const { start, get } = setup();
    for (const [query, expected] of [
      ['?returnTo=%2Fdocs%3Ftab%3D2', `${SITE}/docs?tab=2&cloudconvert=connected`],
      ['?returnTo=%2F%2Fevil.example%2F', `${SITE}/converter?cloudconvert=connected`],
      ['?returnTo=https%3A%2F%2Fevil.example%2F', `${SITE}/converter?cloudconvert=connected`],
      // Dot segments that normalise to `//evil.example` (security review, info note): refused too.
      ['?returnTo=%2F.%2F%2Fevil.example', `${SITE}/converter?cloudconvert=connected`],
      ['?returnTo=%2F..%2F%2Fevil.example', `${SITE}/converter?cloudconvert=connected`],
      ['?returnTo=%2Fa%2F..%2F%2Fevil.example', `${SITE}/converter?cloudconvert=connected`],
      ['?returnTo=%2Fa%2F..%2Fdocs', `${SITE}/docs?cloudconvert=connected`],
    ] as const) {
      const jar = new CookieJar();
      const state = (await start(jar, query)).searchParams.get('state');
      const response = await get(`/api/convert/oauth/callback?code=good-code&state=${state}`, jar);
      assert.equal(response.headers.get('location'), expected);
    }
  });
});

describe('cloudConvertOAuth: token route', () => {
  it('hands out the access token and its expiry, never the refresh token, and audits without tokens', async () => {
    const { connect, post, issued } = setup();
    const jar = new CookieJar();
    await connect(jar);
    const response = await post('/api/convert/oauth/token', jar);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const text = await response.text();
    assert.doesNotMatch(text, /\brt-\d/);
    const body = JSON.parse(text) as Answer;
    assert.deepEqual(Object.keys(body).sort(), ['accessToken', 'expiresAt', 'provider']);
    assert.equal(body.accessToken, 'at-1');
    assert.ok(Math.abs(Date.parse(body.expiresAt) - (Date.now() + 3600_000)) < 5000);
    assert.equal(issued.length, 1);
    assert.equal(issued[0]?.kind, 'cloudconvert-access-token');
    assert.doesNotMatch(JSON.stringify(issued), /\b(at|rt)-\d/);
  });

  it('answers 401 not-connected with a loginUrl for a visitor without a connection', async () => {
    const { post } = setup();
    const response = await post('/api/convert/oauth/token', new CookieJar());
    assert.equal(response.status, 401);
    assert.deepEqual((await bodyOf(response)).error, {
      code: 'not-connected',
      message: 'Connect a CloudConvert account first.',
      loginUrl: '/api/convert/oauth/start',
    });
  });

  it('refreshes ahead of expiry, once for concurrent requests, and stores the rotated refresh token', async () => {
    const { connect, post, upstream } = setup({}, 30);
    const jar = new CookieJar();
    await connect(jar);
    const answers = await Promise.all(Array.from({ length: 5 }, () => post('/api/convert/oauth/token', jar)));
    const tokens = await Promise.all(answers.map(async (answer) => (await bodyOf(answer)).accessToken));
    assert.deepEqual(tokens, ['at-2', 'at-2', 'at-2', 'at-2', 'at-2']);
    const refreshes = upstream.fetch.calls.filter((call) => call.body.includes('grant_type=refresh_token'));
    assert.equal(refreshes.length, 1);
    assert.equal(
      (await bodyOf(await post('/api/convert/oauth/token', jar))).accessToken,
      'at-3',
      'used the rotated rt-2',
    );
  });

  it('forgets a revoked connection and asks the visitor to connect again', async () => {
    const { connect, post, upstream, records } = setup({}, 30);
    const jar = new CookieJar();
    await connect(jar);
    upstream.revoke();
    const response = await post('/api/convert/oauth/token', jar);
    assert.equal(response.status, 401);
    assert.equal((await bodyOf(response)).error.code, 'not-connected');
    assert.equal(records.size, 0);
  });

  it('refuses token requests from unlisted origins and invalid batches', async () => {
    const { connect, post } = setup();
    const jar = new CookieJar();
    await connect(jar);
    assert.equal(
      (await post('/api/convert/oauth/token', jar, batchBody('cloudconvert', 1), 'https://evil.example'))
        .status,
      403,
    );
    assert.equal((await post('/api/convert/oauth/token', jar, batchBody('convertapi', 1))).status, 400);
    assert.equal(
      (await post('/api/convert/oauth/token', jar, batchBody('cloudconvert', 1), PARTNER)).status,
      200,
    );
  });

  it('refuses a forged visitor cookie', async () => {
    const { connect, post, records } = setup();
    const jar = new CookieJar();
    await connect(jar);
    const [visitorId] = records.keys();
    jar.cookies.set('__Host-convert-uploader-visitor', `${visitorId}.AAAA`);
    assert.equal((await post('/api/convert/oauth/token', jar)).status, 401);
  });

  it('disconnects on logout', async () => {
    const { connect, post, records } = setup();
    const jar = new CookieJar();
    await connect(jar);
    const response = await post('/api/convert/oauth/logout', jar, {});
    assert.deepEqual(await bodyOf(response), { disconnected: true });
    assert.equal(records.size, 0);
    assert.equal((await post('/api/convert/oauth/token', jar)).status, 401);
  });

  it('uses the host visitorId hook instead of its own cookie', async () => {
    const { handler } = setup({ visitorId: (request) => request.headers.get('x-user') ?? undefined });
    const anonymous = await handler(new Request(`${SITE}/api/convert/oauth/start`));
    assert.equal(anonymous.status, 401);
    const known = await handler(
      new Request(`${SITE}/api/convert/oauth/start`, { headers: { 'X-User': 'user-7' } }),
    );
    assert.equal(known.status, 302);
    assert.deepEqual(
      known.headers.getSetCookie().map((cookie) => cookie.split('=')[0]),
      ['__Host-convert-uploader-oauth'],
    );
  });

  it('answers 404 for other paths', async () => {
    const { get } = setup();
    assert.equal((await get('/api/convert/oauth/other', new CookieJar())).status, 404);
  });
});

describe('cloudConvertOAuth: startup checks', () => {
  const refuses = (options: Partial<CloudConvertOAuthOptions>, message: RegExp): void => {
    assert.throws(() => setup(options), { name: 'ConfigurationError', message });
  };

  it('refuses incomplete or unsafe setups without echoing secrets', () => {
    refuses({ clientSecret: '' }, /"clientSecret" is required/);
    refuses({ encryptionKey: 'too-short' }, /at least 32 bytes/);
    refuses({ redirectUri: 'http://site.example/callback' }, /https/);
    refuses({ redirectUri: 'not a url' }, /absolute URL/);
    refuses({ store: undefined }, /"store" is required/);
    refuses({ scopes: ['task.read'] }, /task.read and task.write/);
    refuses({ returnTo: 'https://evil.example/' }, /returnTo/);
    refuses({ redirectUri: `${SITE}/api/convert/oauth/token` }, /must differ/);
    try {
      setup({ encryptionKey: 'too-short' });
    } catch (error) {
      assert.ok(!(error as Error).message.includes('too-short'));
    }
  });
});

describe('sealed records (JWE)', () => {
  it('round-trips, and refuses another purpose, another subject or a tampered token', async () => {
    const sealer = createSealer([TEST_KEY], 'cloudconvert-oauth-tokens');
    const sealed = await sealer.seal({ rt: 'refresh-me' }, { subject: 'visitor-1' });
    assert.ok(!sealed.includes('refresh-me'));
    const opened = await sealer.open(sealed, { subject: 'visitor-1' });
    assert.ok(opened.ok);
    assert.equal(opened.payload.rt, 'refresh-me');
    assert.deepEqual(await sealer.open(sealed, { subject: 'visitor-2' }), { ok: false, reason: 'invalid' });
    const otherPurpose = createSealer([TEST_KEY], 'cloudconvert-job-ticket');
    assert.equal((await otherPurpose.open(sealed)).ok, false);
    const parts = sealed.split('.');
    parts[3] = (parts[3] ?? '').replace(/^./, (char) => (char === 'A' ? 'B' : 'A'));
    assert.equal((await sealer.open(parts.join('.'), { subject: 'visitor-1' })).ok, false);
  });

  it('opens records sealed with a previous key after rotation', async () => {
    const previous = createSealer([TEST_KEY], 'purpose');
    const sealed = await previous.seal({ value: 1 });
    const rotated = createSealer(['a-brand-new-key-0123456789abcdef0123456789', TEST_KEY], 'purpose');
    assert.equal((await rotated.open(sealed)).ok, true);
    const resealed = await rotated.seal({ value: 2 });
    assert.equal((await previous.open(resealed)).ok, false);
  });
});

describe('memoryTokenStore', () => {
  it('gets, replaces and deletes records, and forgets the oldest beyond maxEntries', async () => {
    const store = memoryTokenStore({ maxEntries: 2 });
    await store.set('a', 'record-a');
    await store.set('b', 'record-b');
    await store.set('a', 'record-a2');
    await store.set('c', 'record-c');
    assert.equal(await store.get('a'), 'record-a2');
    assert.equal(await store.get('b'), undefined);
    assert.equal(await store.get('c'), 'record-c');
    await store.delete('c');
    await store.delete('never-there');
    assert.equal(await store.get('c'), undefined);
  });
});
