import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from 'convert-uploader-sandbox';
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
  PARTNER,
  passThroughFetch,
  postJson,
  SITE,
  TEST_KEY,
  type Answer,
} from '../helpers/server-fixtures.js';
import { approveConsent, lastSeq } from '../helpers/server-sandbox-flows.js';

const REDIRECT_URI = `${SITE}/api/convert/oauth/callback`;
/** The sandbox's OAuth access tokens live this long; `refreshing` handlers refresh ahead of more than that. */
const LIFETIME = 300;

// The code exchange and the refreshes are answered by the sandbox's CloudConvert OAuth host (consent page, PKCE
// check, rotating refresh tokens); no fake. `upstream.calls` records what the kit sent and what it got back.
let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox({ port: 0, accessTokenLifetimeSec: LIFETIME });
});
after(() => sandbox.close());

/** The sandbox's token endpoint requests logged after `since`. */
const tokenRequests = (since: number) =>
  sandbox
    .requests(since)
    .filter((entry) => entry.service === 'cloudconvert-oauth' && entry.path === '/token');

function setup(options: Partial<CloudConvertOAuthOptions> = {}, { refreshing = false } = {}) {
  const upstream = { fetch: passThroughFetch() };
  const records = new Map<string, string>();
  const store: TokenStore = {
    get: (visitorId) => records.get(visitorId),
    set: (visitorId, record) => void records.set(visitorId, record),
    delete: (visitorId) => void records.delete(visitorId),
  };
  const issued: IssueEvent[] = [];
  const handler = cloudConvertOAuth({
    clientId: sandbox.cloudconvert.clientId,
    clientSecret: sandbox.cloudconvert.clientSecret,
    redirectUri: REDIRECT_URI,
    authorizeUrl: `${sandbox.cloudconvert.oauth}/authorize`,
    tokenUrl: `${sandbox.cloudconvert.oauth}/token`,
    store,
    encryptionKey: TEST_KEY,
    allowedOrigins: [PARTNER],
    returnTo: '/converter',
    fetch: upstream.fetch,
    onIssue: (event) => void issued.push(event),
    clientIp: () => '203.0.113.10',
    // Refresh on every token request (the leeway exceeds the lifetime), or never in these tests.
    refreshLeeway: refreshing ? LIFETIME + 60 : 60,
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
    return new URL(response.headers.get('location') ?? '');
  };
  /** Start, approve on the sandbox's consent page, and return the callback path with its real code and state. */
  const approved = async (jar: CookieJar, query = ''): Promise<string> => {
    const back = await approveConsent((await start(jar, query)).href);
    assert.equal(back.origin + back.pathname, REDIRECT_URI);
    return back.pathname + back.search;
  };
  /** Start, consent and callback. */
  const connect = async (jar: CookieJar, query = ''): Promise<Response> => {
    const response = await get(await approved(jar, query), jar);
    jar.take(response);
    return response;
  };
  /** What the OAuth host answered to the kit's `grant_type` requests, in order. */
  const answers = (grantType: string) =>
    upstream.fetch.calls
      .filter((call) => new URLSearchParams(call.body).get('grant_type') === grantType)
      .map((call) => JSON.parse(call.answer ?? '{}') as Record<string, string>);
  return { handler, upstream, records, issued, get, post, start, approved, connect, answers };
}

describe('cloudConvertOAuth: start', () => {
  it('redirects to the authorize URL with state and a PKCE S256 challenge, never the client secret', async () => {
    const { start } = setup();
    const jar = new CookieJar();
    const location = await start(jar);
    assert.equal(location.origin + location.pathname, `${sandbox.cloudconvert.oauth}/authorize`);
    const params = location.searchParams;
    assert.equal(params.get('response_type'), 'code');
    assert.equal(params.get('client_id'), sandbox.cloudconvert.clientId);
    assert.equal(params.get('redirect_uri'), REDIRECT_URI);
    assert.equal(params.get('scope'), 'task.read task.write');
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.match(params.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(params.get('state') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.ok(!location.href.includes(sandbox.cloudconvert.clientSecret));
    // The OAuth host takes it: its consent page answers with an approve form.
    assert.ok((await approveConsent(location.href)).searchParams.get('code'));
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
    const { connect, upstream, records, answers } = setup();
    const since = lastSeq(sandbox);
    const response = await connect(new CookieJar());
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), `${SITE}/converter?cloudconvert=connected`);
    // The OAuth host checked the verifier against the challenge of the start route, and issued tokens.
    assert.deepEqual(
      tokenRequests(since).map((entry) => [entry.method, entry.status]),
      [['POST', 200]],
    );
    assert.equal(upstream.fetch.calls.length, 1);
    const exchange = new URLSearchParams(upstream.fetch.calls[0]?.body);
    assert.equal(exchange.get('grant_type'), 'authorization_code');
    assert.match(exchange.get('code_verifier') ?? '', /^[A-Za-z0-9_-]{43}$/);
    const [tokens] = answers('authorization_code');
    assert.ok(tokens?.['access_token'] && tokens['refresh_token']);
    assert.equal(records.size, 1);
    const [record] = records.values();
    assert.ok(
      record && !record.includes(tokens['refresh_token']) && !record.includes(tokens['access_token']),
      'stored encrypted',
    );
    assert.equal(record.split('.').length, 5, 'a compact JWE');
  });

  it('refuses a state that does not match and exchanges nothing', async () => {
    const { approved, get, upstream, records } = setup();
    const jar = new CookieJar();
    const callback = new URL(await approved(jar), SITE);
    callback.searchParams.set('state', 'forged-state');
    const since = lastSeq(sandbox);
    const response = await get(callback.pathname + callback.search, jar);
    assert.equal(response.status, 400);
    assert.equal((await bodyOf(response)).error.code, 'invalid-state');
    assert.equal(upstream.fetch.calls.length, 0);
    assert.deepEqual(tokenRequests(since), []);
    assert.equal(records.size, 0);
  });

  it('refuses a callback in a browser that did not start the flow (login CSRF)', async () => {
    const { approved, start, get, upstream } = setup();
    const attacker = new CookieJar();
    const callback = await approved(attacker);
    const victim = new CookieJar();
    await start(victim);
    const since = lastSeq(sandbox);
    const response = await get(callback, victim);
    assert.equal(response.status, 400);
    const stranger = await get(callback, new CookieJar());
    assert.equal(stranger.status, 400);
    assert.equal(upstream.fetch.calls.length, 0);
    assert.deepEqual(tokenRequests(since), []);
  });

  it('refuses a flow cookie moved to another visitor', async () => {
    const { approved, start, get, upstream } = setup();
    const first = new CookieJar();
    const callback = await approved(first);
    const second = new CookieJar();
    await start(second);
    second.cookies.set(
      '__Host-convert-uploader-oauth',
      first.cookies.get('__Host-convert-uploader-oauth') ?? '',
    );
    assert.equal((await get(callback, second)).status, 400);
    assert.equal(upstream.fetch.calls.length, 0);
  });

  it('refuses an expired flow', async (context) => {
    context.mock.timers.enable({ apis: ['Date'], now: Date.now() });
    const { approved, get, upstream } = setup();
    const jar = new CookieJar();
    const callback = await approved(jar);
    context.mock.timers.tick(601_000);
    assert.equal((await get(callback, jar)).status, 400);
    assert.equal(upstream.fetch.calls.length, 0);
  });

  it('returns with cloudconvert=denied when the user declines, and =failed when the exchange fails', async () => {
    const { start, approved, get, upstream } = setup();
    const jar = new CookieJar();
    const state = (await start(jar)).searchParams.get('state');
    const denied = await get(`/api/convert/oauth/callback?error=access_denied&state=${state}`, jar);
    assert.equal(denied.headers.get('location'), `${SITE}/converter?cloudconvert=denied`);
    assert.equal(upstream.fetch.calls.length, 0);
    // A code the OAuth host never issued: its own invalid_grant.
    const callback = new URL(await approved(jar), SITE);
    callback.searchParams.set('code', 'not-a-code-it-issued');
    const since = lastSeq(sandbox);
    const failed = await get(callback.pathname + callback.search, jar);
    assert.equal(failed.headers.get('location'), `${SITE}/converter?cloudconvert=failed`);
    assert.deepEqual(
      tokenRequests(since).map((entry) => entry.status),
      [400],
    );
  });

  it('honours a local returnTo path on start and ignores an open redirect', async () => {
    const { connect } = setup();
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
      const response = await connect(new CookieJar(), query);
      assert.equal(response.headers.get('location'), expected);
    }
  });
});

describe('cloudConvertOAuth: token route', () => {
  it('hands out the access token and its expiry, never the refresh token, and audits without tokens', async (context) => {
    const now = Math.floor(Date.now() / 1000) * 1000;
    context.mock.timers.enable({ apis: ['Date'], now });
    const { connect, post, issued, answers } = setup();
    const jar = new CookieJar();
    await connect(jar);
    const response = await post('/api/convert/oauth/token', jar);
    context.mock.timers.reset();
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const [tokens] = answers('authorization_code');
    assert.ok(tokens?.['refresh_token']);
    const text = await response.text();
    assert.ok(!text.includes(tokens['refresh_token']), 'the refresh token reached the browser');
    const body = JSON.parse(text) as Answer;
    assert.deepEqual(Object.keys(body).sort(), ['accessToken', 'expiresAt', 'provider']);
    assert.equal(body.accessToken, tokens['access_token']);
    // expires_in (the sandbox's lifetime) from the moment of the exchange; the clock was frozen.
    assert.equal(body.expiresAt, new Date(now + LIFETIME * 1000).toISOString());
    assert.deepEqual(answers('refresh_token'), [], 'no refresh was needed');
    assert.equal(issued.length, 1);
    assert.equal(issued[0]?.kind, 'cloudconvert-access-token');
    for (const token of [tokens['access_token'] ?? '', tokens['refresh_token']]) {
      assert.ok(token && !JSON.stringify(issued).includes(token), 'onIssue saw a token');
    }
    // The CloudConvert API takes the access token.
    const jobs = await fetch(`${sandbox.cloudconvert.api}/jobs`, {
      headers: { Authorization: `Bearer ${body.accessToken}` },
    });
    await jobs.arrayBuffer();
    assert.equal(jobs.status, 200);
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
    const { connect, post, answers, upstream } = setup({}, { refreshing: true });
    const jar = new CookieJar();
    await connect(jar);
    const since = lastSeq(sandbox);
    const replies = await Promise.all(Array.from({ length: 5 }, () => post('/api/convert/oauth/token', jar)));
    const tokens = await Promise.all(replies.map(async (reply) => (await bodyOf(reply)).accessToken));
    const [exchanged] = answers('authorization_code');
    const [refreshed] = answers('refresh_token');
    assert.ok(refreshed?.['access_token']);
    assert.notEqual(refreshed['access_token'], exchanged?.['access_token']);
    assert.deepEqual(
      tokens,
      Array.from({ length: 5 }, () => refreshed['access_token']),
    );
    assert.deepEqual(
      tokenRequests(since).map((entry) => entry.status),
      [200],
      'one refresh for the five requests',
    );
    // The next refresh presents the rotated refresh token (the first one is revoked by the rotation).
    const next = await post('/api/convert/oauth/token', jar);
    assert.equal(next.status, 200);
    const presented = upstream.fetch.calls
      .map((call) => new URLSearchParams(call.body))
      .filter((form) => form.get('grant_type') === 'refresh_token')
      .map((form) => form.get('refresh_token'));
    assert.deepEqual(presented, [exchanged?.['refresh_token'], refreshed['refresh_token']]);
    assert.equal((await bodyOf(next)).accessToken, answers('refresh_token')[1]?.['access_token']);
  });

  it('forgets a revoked connection and asks the visitor to connect again', async () => {
    const { connect, post, records, answers } = setup({}, { refreshing: true });
    const jar = new CookieJar();
    await connect(jar);
    // The refresh token is used elsewhere: the OAuth host rotates it, so the stored one is revoked.
    const [tokens] = answers('authorization_code');
    const elsewhere = await fetch(`${sandbox.cloudconvert.oauth}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens?.['refresh_token'] ?? '',
        client_id: sandbox.cloudconvert.clientId,
        client_secret: sandbox.cloudconvert.clientSecret,
      }).toString(),
    });
    assert.equal(elsewhere.status, 200);
    await elsewhere.arrayBuffer();
    assert.equal(records.size, 1);
    const since = lastSeq(sandbox);
    const response = await post('/api/convert/oauth/token', jar);
    assert.deepEqual(
      tokenRequests(since).map((entry) => entry.status),
      [400],
      "the OAuth host's invalid_grant",
    );
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
