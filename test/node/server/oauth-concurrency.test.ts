// The security review's finding 1: two instances refreshing one visitor at once against an OAuth host that
// rotates refresh tokens. Before the fix the loser's invalid_grant deleted the winner's record, and the visitor
// was disconnected everywhere (these tests then counted lost connections).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from 'convert-uploader-sandbox';
import {
  cloudConvertOAuth,
  memoryTokenStore,
  type RequestHandler,
  type TokenStore,
} from '../../../src/server/index.js';
import { createSealer } from '../../../src/server/sealed-token.js';
import { batchBody, postJson, SITE, TEST_KEY } from '../helpers/server-fixtures.js';
import { sandboxOAuthTokens } from '../helpers/server-sandbox-flows.js';

const VISITOR = 'visitor-1';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The OAuth host is the sandbox's: it rotates refresh tokens (each works once; a rotated one gets invalid_grant).
// Its access tokens live 30 s, less than the handlers' leeway, so every token request refreshes; a delay fault
// gives its token endpoint some latency, so that two instances' refreshes overlap.
let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox({ port: 0, accessTokenLifetimeSec: 30 });
  sandbox.addFaults({
    match: { service: 'cloudconvert-oauth', method: 'POST', path: '/token' },
    action: { delayMs: 15 },
  });
});
after(() => sandbox.close());

/** The sandbox's answers to refresh requests since `since`: how many refreshed, how many were refused. */
function refreshesSince(since: number) {
  const answers = sandbox
    .requests(since)
    .filter((entry) => entry.service === 'cloudconvert-oauth' && entry.path === '/token');
  return {
    refreshes: answers.filter((entry) => entry.status === 200).length,
    refused: answers.filter((entry) => entry.status !== 200).length,
  };
}

/** A store over `inner` whose every call takes `latencyMs`, like a network store. */
function slow(inner: TokenStore, latencyMs = 3): TokenStore {
  const later =
    <A extends unknown[], R>(call: (...args: A) => R) =>
    async (...args: A): Promise<Awaited<R>> => {
      await pause(latencyMs);
      return await call(...args);
    };
  const store: TokenStore = {
    get: later((id: string) => inner.get(id)),
    set: later((id: string, record: string) => inner.set(id, record)),
    delete: later((id: string) => inner.delete(id)),
  };
  if (inner.compareAndSet) {
    const compareAndSet = inner.compareAndSet.bind(inner);
    store.compareAndSet = later((id: string, expected: string | undefined, next: string) =>
      compareAndSet(id, expected, next),
    );
  }
  if (inner.deleteIfUnchanged) {
    const deleteIfUnchanged = inner.deleteIfUnchanged.bind(inner);
    store.deleteIfUnchanged = later((id: string, expected: string) => deleteIfUnchanged(id, expected));
  }
  if (inner.lock) {
    const lock = inner.lock.bind(inner);
    store.lock = later((id: string, ttlMs: number) => lock(id, ttlMs));
  }
  return store;
}

/** Only get/set/delete: a store written for the kit before it had atomic operations. */
function legacyOnly(inner: TokenStore): TokenStore {
  return {
    get: (id) => inner.get(id),
    set: (id, record) => inner.set(id, record),
    delete: (id) => inner.delete(id),
  };
}

/** Compare-and-set and delete-if-unchanged, but no lock. */
function withoutLock(inner: TokenStore): TokenStore {
  const store = { ...inner };
  delete store.lock;
  return store;
}

/** Two handlers (two instances) sharing `store` and the sandbox; the visitor is connected with a real grant. */
async function twoInstances(store: TokenStore) {
  const { accessToken, refreshToken } = await sandboxOAuthTokens(sandbox.cloudconvert);
  const sealer = createSealer([TEST_KEY], 'cloudconvert-oauth-tokens');
  const stale = Math.floor(Date.now() / 1000) + 30;
  await store.set(
    VISITOR,
    await sealer.seal({ at: accessToken, ate: stale, rt: refreshToken }, { subject: VISITOR }),
  );
  const instance = (): RequestHandler =>
    cloudConvertOAuth({
      clientId: sandbox.cloudconvert.clientId,
      clientSecret: sandbox.cloudconvert.clientSecret,
      redirectUri: `${SITE}/api/convert/oauth/callback`,
      tokenUrl: `${sandbox.cloudconvert.oauth}/token`,
      store,
      encryptionKey: TEST_KEY,
      refreshLeeway: 60,
      rateLimit: false,
      visitorId: () => VISITOR,
    });
  return [instance(), instance()] as const;
}

/** `rounds` rounds of one token request to each instance at the same time; counts the answers. */
async function concurrentRounds(handlers: readonly RequestHandler[], rounds: number) {
  const statuses: Record<number, number> = {};
  for (let round = 0; round < rounds; round += 1) {
    const answers = await Promise.all(
      handlers.map((handler) =>
        handler(postJson(`${SITE}/api/convert/oauth/token`, batchBody('cloudconvert', 1))),
      ),
    );
    for (const answer of answers) {
      await answer.arrayBuffer();
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    }
  }
  return statuses;
}

describe('concurrent refreshes of one visitor on two instances', () => {
  it('keep the connection with a store that has a lock (memoryTokenStore): one refresh at a time', async () => {
    const store = slow(memoryTokenStore());
    const handlers = await twoInstances(store);
    const since = sandbox.requests().at(-1)?.seq ?? 0;
    assert.deepEqual(await concurrentRounds(handlers, 10), { 200: 20 });
    const { refreshes, refused } = refreshesSince(since);
    assert.equal(refused, 0, 'no rotated refresh token was ever presented');
    assert.equal(refreshes, 20);
    assert.notEqual(await store.get(VISITOR), undefined);
  });

  it('keep the connection with compare-and-set alone: the loser of a race reads the winner’s record', async () => {
    const store = slow(withoutLock(memoryTokenStore()));
    const handlers = await twoInstances(store);
    const since = sandbox.requests().at(-1)?.seq ?? 0;
    assert.deepEqual(await concurrentRounds(handlers, 10), { 200: 20 });
    assert.ok(refreshesSince(since).refused > 0, 'the race happened: some refresh presented a rotated token');
    assert.notEqual(await store.get(VISITOR), undefined);
  });

  it('keep the connection with a store of get/set/delete only: the kit reads again before it deletes', async () => {
    const store = slow(legacyOnly(memoryTokenStore()));
    const handlers = await twoInstances(store);
    assert.deepEqual(await concurrentRounds(handlers, 10), { 200: 20 });
    assert.notEqual(await store.get(VISITOR), undefined);
  });

  it('still forget a connection whose grant is really gone, and only that record', async () => {
    const store = memoryTokenStore();
    const [first] = await twoInstances(store);
    // Revoke: the store holds a refresh token the OAuth host never issued.
    const sealer = createSealer([TEST_KEY], 'cloudconvert-oauth-tokens');
    await store.set(VISITOR, await sealer.seal({ at: 'x', ate: 0, rt: 'revoked' }, { subject: VISITOR }));
    const since = sandbox.requests().at(-1)?.seq ?? 0;
    const answer = await first(postJson(`${SITE}/api/convert/oauth/token`, batchBody('cloudconvert', 1)));
    assert.deepEqual(refreshesSince(since), { refreshes: 0, refused: 1 });
    assert.equal(answer.status, 401);
    assert.equal(await store.get(VISITOR), undefined);
  });
});

describe('memoryTokenStore atomic operations', () => {
  it('compare-and-set, delete-if-unchanged and a lock that only its holder releases', async () => {
    const store = memoryTokenStore();
    assert.equal(await store.compareAndSet?.('v', undefined, 'a'), true);
    assert.equal(await store.compareAndSet?.('v', undefined, 'b'), false);
    assert.equal(await store.compareAndSet?.('v', 'x', 'b'), false);
    assert.equal(await store.compareAndSet?.('v', 'a', 'b'), true);
    assert.equal(await store.get('v'), 'b');
    assert.equal(await store.deleteIfUnchanged?.('v', 'a'), false);
    assert.equal(await store.deleteIfUnchanged?.('v', 'b'), true);
    assert.equal(await store.get('v'), undefined);
    const held = await store.lock?.('v', 60_000);
    assert.ok(held);
    assert.equal(await store.lock?.('v', 60_000), undefined);
    await held.release();
    const next = await store.lock?.('v', 60_000);
    assert.ok(next);
    await held.release(); // a stale holder frees nothing
    assert.equal(await store.lock?.('v', 60_000), undefined);
  });
});
