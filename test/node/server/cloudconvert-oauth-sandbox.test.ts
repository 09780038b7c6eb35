import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from 'convert-uploader-sandbox';
import {
  cloudConvertOAuth,
  memoryTokenStore,
  toNodeListener,
  type FetchFunction,
  type IssueEvent,
  type NodeListener,
} from '../../../src/server/index.js';
import { CookieJar } from '../helpers/server-cookie-jar.js';
import { batchBody, TEST_KEY } from '../helpers/server-fixtures.js';
import { listen } from '../helpers/server-node-http.js';
import { approveConsent } from '../helpers/server-sandbox-flows.js';

const LIFETIME = 4;
const LEEWAY = 2;

let sandbox: Sandbox;
let site: Awaited<ReturnType<typeof listen>>;
let listener: NodeListener;
let verifierTampering = false;
const refreshTokensSeen: string[] = [];
const browserSaw: string[] = [];
const issued: IssueEvent[] = [];

/** The kit's upstream fetch: records the refresh tokens the OAuth host hands out, optionally breaks PKCE. */
const observingFetch: FetchFunction = async (input, init) => {
  let request = init;
  if (verifierTampering && typeof init?.body === 'string' && init.body.includes('code_verifier=')) {
    request = { ...init, body: init.body.replace(/code_verifier=[^&]+/, 'code_verifier=' + 'x'.repeat(43)) };
  }
  const response = await fetch(input, request);
  const copy = (await response
    .clone()
    .json()
    .catch(() => ({}))) as { refresh_token?: string };
  if (copy.refresh_token) refreshTokensSeen.push(copy.refresh_token);
  return response;
};

before(async () => {
  sandbox = await startSandbox({ port: 0, accessTokenLifetimeSec: LIFETIME });
  site = await listen((request, response) => {
    listener(request, response);
  });
  listener = toNodeListener(
    cloudConvertOAuth({
      clientId: sandbox.cloudconvert.clientId,
      clientSecret: sandbox.cloudconvert.clientSecret,
      redirectUri: `${site.url}/api/convert/oauth/callback`,
      authorizeUrl: `${sandbox.cloudconvert.oauth}/authorize`,
      tokenUrl: `${sandbox.cloudconvert.oauth}/token`,
      store: memoryTokenStore(),
      encryptionKey: TEST_KEY,
      returnTo: '/converter',
      refreshLeeway: LEEWAY,
      fetch: observingFetch,
      onIssue: (event) => void issued.push(event),
    }),
  );
});
after(async () => {
  await site.close();
  await sandbox.close();
});

/** A request from the browser to the site, recording everything the browser gets back. */
async function browser(jar: CookieJar, path: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(new URL(path, site.url), {
    redirect: 'manual',
    ...init,
    headers: { Cookie: jar.header(), ...(init.headers as Record<string, string> | undefined) },
  });
  jar.take(response);
  const text = await response.clone().text();
  browserSaw.push(text, JSON.stringify([...response.headers]));
  return response;
}

async function startFlow(jar: CookieJar): Promise<URL> {
  const start = await browser(jar, '/api/convert/oauth/start');
  assert.equal(start.status, 302);
  return new URL(start.headers.get('location') ?? '');
}

async function askToken(jar: CookieJar): Promise<Response> {
  return browser(jar, '/api/convert/oauth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(batchBody('cloudconvert', 1)),
  });
}

async function listJobs(accessToken: string): Promise<number> {
  const response = await fetch(`${sandbox.cloudconvert.api}/jobs`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  await response.arrayBuffer();
  return response.status;
}

describe('cloudConvertOAuth against the sandbox OAuth host', () => {
  it('refuses a callback whose state does not match, without exchanging the code', async () => {
    const jar = new CookieJar();
    const back = await approveConsent((await startFlow(jar)).href);
    const since = sandbox.requests().at(-1)?.seq ?? 0;
    back.searchParams.set('state', 'forged');
    const callback = await browser(jar, back.pathname + back.search);
    assert.equal(callback.status, 400);
    assert.equal(sandbox.requests(since).filter((entry) => entry.path.endsWith('/token')).length, 0);
  });

  it('the OAuth host checks PKCE: a wrong verifier makes the exchange fail', async () => {
    const jar = new CookieJar();
    const back = await approveConsent((await startFlow(jar)).href);
    verifierTampering = true;
    try {
      const callback = await browser(jar, back.pathname + back.search);
      assert.equal(callback.status, 303);
      assert.match(callback.headers.get('location') ?? '', /cloudconvert=failed$/);
    } finally {
      verifierTampering = false;
    }
    assert.equal((await askToken(jar)).status, 401);
  });

  it('connects, hands out access tokens the API accepts, and refreshes them before expiry', async () => {
    const jar = new CookieJar();
    const before = Date.now();
    const authorize = await startFlow(jar);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    const back = await approveConsent(authorize.href);
    const callback = await browser(jar, back.pathname + back.search);
    assert.equal(callback.status, 303);
    assert.equal(callback.headers.get('location'), `${site.url}/converter?cloudconvert=connected`);

    const first = await askToken(jar);
    assert.equal(first.status, 200);
    const connected = Date.now();
    const { accessToken, expiresAt } = (await first.json()) as { accessToken: string; expiresAt: string };
    // The lifetime counted from the exchange (in whole seconds), which happened between the two readings.
    const expiry = Date.parse(expiresAt);
    assert.ok(
      expiry >= Math.floor(before / 1000) * 1000 + LIFETIME * 1000 && expiry <= connected + LIFETIME * 1000,
      expiresAt,
    );
    assert.equal(await listJobs(accessToken), 200);

    await new Promise((resolve) => setTimeout(resolve, (LIFETIME - LEEWAY) * 1000 + 200));
    const since = sandbox.requests().at(-1)?.seq ?? 0;
    const second = (await (await askToken(jar)).json()) as { accessToken: string; expiresAt: string };
    assert.notEqual(second.accessToken, accessToken);
    assert.ok(Date.parse(second.expiresAt) > Date.parse(expiresAt));
    const refresh = sandbox.requests(since).find((entry) => entry.path.endsWith('/token'));
    assert.equal(refresh?.status, 200);
    assert.equal(await listJobs(second.accessToken), 200);

    const logout = await browser(jar, '/api/convert/oauth/logout', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    assert.equal(logout.status, 200);
    const after = await askToken(jar);
    assert.equal(after.status, 401);
    assert.equal(
      ((await after.json()) as { error: { loginUrl: string } }).error.loginUrl,
      '/api/convert/oauth/start',
    );
  });

  it('never shows a refresh token or the client secret to the browser or to onIssue', () => {
    assert.ok(
      refreshTokensSeen.length >= 2,
      'the code exchange and the refresh both returned refresh tokens',
    );
    const everything = browserSaw.join('\n') + JSON.stringify(issued);
    for (const secret of [...refreshTokensSeen, sandbox.cloudconvert.clientSecret]) {
      assert.ok(!everything.includes(secret), 'a server-side secret reached the browser');
    }
    assert.ok(issued.length >= 2);
  });
});
