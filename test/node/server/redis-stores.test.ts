// The Redis adapters against a real redis-server (started on a free loopback port), through both clients the
// adapters accept: node-redis (`redis`) and ioredis.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import {
  convertApiTokens,
  redisRateLimitStore,
  redisTokenStore,
  type RedisClientLike,
} from '../../../src/server/index.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { batchBody, postJson, SITE, TEST_SECRET } from '../helpers/server-fixtures.js';

let server: RedisServer;
let nodeRedis: ReturnType<typeof createClient>;
let ioredis: Redis;

before(async () => {
  server = await startRedisServer();
  nodeRedis = createClient({ url: server.url });
  await nodeRedis.connect();
  ioredis = new Redis(server.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
  await ioredis.connect();
});

after(async () => {
  await nodeRedis.quit().catch(() => undefined);
  ioredis.disconnect();
  await server.stop();
});

const clients: Array<[string, () => RedisClientLike]> = [
  ['node-redis', () => nodeRedis],
  ['ioredis', () => ioredis],
];

for (const [name, client] of clients) {
  describe(`redisTokenStore with ${name}`, () => {
    const prefix = `test:${name}:oauth:`;

    it('gets, sets (with an expiry) and deletes records under its prefix', async () => {
      const store = redisTokenStore(client(), { prefix, ttlSeconds: 3600 });
      assert.equal(await store.get('v1'), undefined);
      await store.set('v1', 'record-1');
      assert.equal(await store.get('v1'), 'record-1');
      assert.equal(await nodeRedis.get(`${prefix}v1`), 'record-1');
      const ttl = await nodeRedis.ttl(`${prefix}v1`);
      assert.ok(ttl > 3500 && ttl <= 3600, `ttl ${ttl}`);
      await store.delete('v1');
      await store.delete('v1');
      assert.equal(await store.get('v1'), undefined);
    });

    it('compares and sets atomically: of 20 concurrent writers expecting one record, exactly one wins', async () => {
      const store = redisTokenStore(client(), { prefix });
      assert.equal(await store.compareAndSet?.('v2', undefined, 'first'), true);
      assert.equal(await store.compareAndSet?.('v2', undefined, 'again'), false);
      const results = await Promise.all(
        Array.from({ length: 20 }, async (_, index) => store.compareAndSet?.('v2', 'first', `next-${index}`)),
      );
      assert.equal(results.filter(Boolean).length, 1);
      const winner = results.indexOf(true);
      assert.equal(await store.get('v2'), `next-${winner}`);
      assert.ok((await nodeRedis.ttl(`${prefix}v2`)) > 0, 'compare-and-set keeps the expiry');
    });

    it('deletes only an unchanged record', async () => {
      const store = redisTokenStore(client(), { prefix });
      await store.set('v3', 'current');
      assert.equal(await store.deleteIfUnchanged?.('v3', 'older'), false);
      assert.equal(await store.get('v3'), 'current');
      assert.equal(await store.deleteIfUnchanged?.('v3', 'current'), true);
      assert.equal(await store.get('v3'), undefined);
    });

    it('locks one visitor at a time; only the holder releases; a lock lapses after its ttl', async () => {
      const store = redisTokenStore(client(), { prefix });
      const held = await Promise.all(Array.from({ length: 10 }, async () => store.lock?.('v4', 30_000)));
      assert.equal(held.filter((lock) => lock !== undefined).length, 1);
      assert.ok((await store.lock?.('v5', 30_000)) !== undefined, 'other visitors are not blocked');
      const holder = held.find((lock) => lock !== undefined);
      const pttl = await nodeRedis.pTTL(`${prefix}v4:lock`);
      assert.ok(pttl > 0 && pttl <= 30_000, `pttl ${pttl}`);
      await holder?.release();
      const next = await store.lock?.('v4', 30_000);
      assert.ok(next);
      await holder?.release(); // the former holder frees nothing
      assert.equal(await store.lock?.('v4', 30_000), undefined);
      await nodeRedis.pExpire(`${prefix}v4:lock`, 1); // time up
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok((await store.lock?.('v4', 30_000)) !== undefined);
    });
  });

  describe(`redisRateLimitStore with ${name}`, () => {
    const prefix = `test:${name}:rate:`;

    it('counts atomically: 100 concurrent hits see 1 to 100, each once, in one window', async () => {
      const store = redisRateLimitStore(client(), { prefix });
      const hits = await Promise.all(Array.from({ length: 100 }, async () => store.hit('k1', 60_000, 1)));
      assert.deepEqual(
        hits.map((hit) => hit.count).sort((a, b) => a - b),
        Array.from({ length: 100 }, (_, index) => index + 1),
      );
      const now = Date.now();
      for (const hit of hits) assert.ok(hit.resetAt > now && hit.resetAt <= now + 60_000);
      const pttl = await nodeRedis.pTTL(`${prefix}k1`);
      assert.ok(pttl > 0 && pttl <= 60_000);
    });

    it('adds costs (a refund is negative) and starts a new window once the last one expired', async () => {
      const store = redisRateLimitStore(client(), { prefix });
      assert.equal((await store.hit('k2', 60_000, 4)).count, 4);
      assert.equal((await store.hit('k2', 60_000, -4)).count, 0);
      assert.equal((await store.hit('k2', 60_000, 2)).count, 2);
      await nodeRedis.del(`${prefix}k2`); // the window's expiry, without waiting a minute
      assert.equal((await store.hit('k2', 60_000, 1)).count, 1);
    });
  });
}

describe('Redis stores wired into handlers', () => {
  it('two handlers sharing a redisRateLimitStore serve the limit once between them', async () => {
    const store = redisRateLimitStore(nodeRedis, { prefix: 'test:shared:' });
    const handler = () =>
      convertApiTokens({
        secret: TEST_SECRET,
        apiKey: '1',
        clientIp: () => '192.0.2.77',
        rateLimit: { windowMs: 60_000, max: 5 },
        rateLimitStore: store,
      });
    const pair = [handler(), handler()];
    const statuses: number[] = [];
    for (let index = 0; index < 12; index += 1) {
      const answer = await (pair[index % 2] as (request: Request) => Promise<Response>)(
        postJson(`${SITE}/t`, batchBody('convertapi', 1), { origin: null }),
      );
      await answer.arrayBuffer();
      statuses.push(answer.status);
    }
    assert.equal(statuses.filter((status) => status === 200).length, 5);
    assert.equal(statuses.filter((status) => status === 429).length, 7);
  });

  it('refuses a client that is neither node-redis nor ioredis, and bad options', () => {
    assert.throws(() => redisTokenStore({} as RedisClientLike), { name: 'ConfigurationError' });
    assert.throws(() => redisRateLimitStore(null as unknown as RedisClientLike), {
      name: 'ConfigurationError',
    });
    assert.throws(() => redisTokenStore(nodeRedis, { ttlSeconds: 1 }), { name: 'ConfigurationError' });
  });

  it('fails closed when Redis cannot count: 500, reported to onError', async () => {
    const errors: Error[] = [];
    const broken: RedisClientLike = { sendCommand: () => Promise.reject(new Error('connection lost')) };
    const handler = convertApiTokens({
      secret: TEST_SECRET,
      apiKey: '1',
      clientIp: () => '192.0.2.78',
      rateLimitStore: redisRateLimitStore(broken),
      onError: (error) => void errors.push(error),
    });
    const answer = await handler(postJson(`${SITE}/t`, batchBody('convertapi', 1), { origin: null }));
    assert.equal(answer.status, 500);
    assert.equal(errors[0]?.message, 'connection lost');
  });
});
