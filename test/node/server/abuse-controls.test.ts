// The security review's findings 2, 3 and 7 (rate-limit keys, one shared bucket without a client IP, Host trust)
// and the issuance budget: each test here failed against the kit before these controls.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalIp,
  clientIpFromHeader,
  clientKey,
  convertApiTokens,
  memoryRateLimitStore,
  type ConvertApiTokensOptions,
} from '../../../src/server/index.js';
import { batchBody, bodyOf, PARTNER, postJson, SITE, TEST_SECRET } from '../helpers/server-fixtures.js';

const ENDPOINT = `${SITE}/api/convert/token`;

function tokens(options: Partial<ConvertApiTokensOptions> = {}) {
  const errors: Error[] = [];
  const handler = convertApiTokens({
    secret: TEST_SECRET,
    apiKey: '123456789',
    allowedOrigins: [PARTNER],
    onError: (error) => void errors.push(error),
    ...options,
  });
  return { handler, errors };
}

/** Statuses of one request per address, each from `cf-connecting-ip`, counted by status. */
async function statusesFrom(
  handler: (request: Request) => Promise<Response>,
  addresses: readonly string[],
): Promise<Record<number, number>> {
  const counts: Record<number, number> = {};
  for (const address of addresses) {
    const response = await handler(
      postJson(ENDPOINT, batchBody('convertapi', 1), {
        origin: null,
        headers: { 'CF-Connecting-IP': address },
      }),
    );
    await response.arrayBuffer();
    counts[response.status] = (counts[response.status] ?? 0) + 1;
  }
  return counts;
}

const fromHeader = clientIpFromHeader('cf-connecting-ip');
const limitOf = (max: number) => ({ windowMs: 60_000, max });

describe('client IP canonical form and keys', () => {
  it('writes every IPv6 form of an address the same way, and IPv4-mapped addresses as IPv4', () => {
    for (const form of [
      '2001:db8::1',
      '2001:0DB8:0:0:0:0:0:1',
      '[2001:db8::1]:443',
      '2001:db8:0::0:1%eth0',
    ]) {
      assert.equal(canonicalIp(form), '2001:db8::1', form);
    }
    assert.equal(canonicalIp('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(canonicalIp('::FFFF:c000:0207'), '192.0.2.7');
    assert.equal(canonicalIp(' 192.0.2.7:8080 '), '192.0.2.7');
    assert.equal(canonicalIp('0:0:0:0:0:0:0:1'), '::1');
    assert.equal(canonicalIp('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
    for (const junk of [
      '',
      'unknown',
      '1.2.3',
      '256.1.1.1',
      '1::2::3',
      '12345::',
      'fe80::1::',
      '1:2:3:4:5:6:7:8:9',
    ]) {
      assert.equal(canonicalIp(junk), undefined, junk);
    }
  });

  it('keys IPv6 clients by /64 (configurable), IPv4 by address, and other keys as they are', () => {
    assert.equal(clientKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd'), '2001:db8:1:2::/64');
    assert.equal(clientKey('2001:db8:1:2::ffff'), '2001:db8:1:2::/64');
    assert.equal(clientKey('2001:db8:1:2ff::1', 56), '2001:db8:1:200::/56');
    assert.equal(clientKey('2001:db8::1', 128), '2001:db8::1');
    assert.equal(clientKey('192.0.2.7'), '192.0.2.7');
    assert.equal(clientKey('user-42'), 'user-42');
  });
});

describe('rate-limit keys', () => {
  it('counts every address of one IPv6 /64 as one client', async () => {
    const { handler } = tokens({ clientIp: fromHeader, rateLimit: limitOf(5) });
    const sameNetwork = Array.from({ length: 20 }, (_, index) => `2001:db8:1:2::${(index + 1).toString(16)}`);
    assert.deepEqual(await statusesFrom(handler, sameNetwork), { 200: 5, 429: 15 });
    assert.deepEqual(await statusesFrom(handler, ['2001:db8:1:3::1']), { 200: 1 });
  });

  it('counts the long and short forms of an address as one client', async () => {
    const { handler } = tokens({ clientIp: fromHeader, rateLimit: limitOf(5) });
    const forms = Array.from({ length: 10 }, (_, index) =>
      index % 2 === 0 ? '2001:db8::1' : '2001:0db8:0:0:0:0:0:1',
    );
    assert.deepEqual(await statusesFrom(handler, forms), { 200: 5, 429: 5 });
  });

  it('takes another IPv6 prefix length when told', async () => {
    const perAddress = tokens({ clientIp: fromHeader, rateLimit: limitOf(1), ipv6Prefix: 128 });
    assert.deepEqual(await statusesFrom(perAddress.handler, ['2001:db8::1', '2001:db8::2']), { 200: 2 });
    const per48 = tokens({ clientIp: fromHeader, rateLimit: limitOf(1), ipv6Prefix: 48 });
    assert.deepEqual(await statusesFrom(per48.handler, ['2001:db8:5:1::1', '2001:db8:5:2::1']), {
      200: 1,
      429: 1,
    });
    assert.throws(() => tokens({ ipv6Prefix: 8 }), { name: 'ConfigurationError', message: /ipv6Prefix/ });
  });

  it('keeps a limited client limited while 10,000 other keys arrive (no live window is dropped)', async () => {
    const { handler } = tokens({ clientIp: fromHeader, rateLimit: limitOf(2) });
    assert.deepEqual(await statusesFrom(handler, ['198.51.100.1', '198.51.100.1', '198.51.100.1']), {
      200: 2,
      429: 1,
    });
    const flood = Array.from(
      { length: 10_001 },
      (_, index) => `10.${index >> 16}.${(index >> 8) & 255}.${index & 255}`,
    );
    // One request per flood key is enough to fill the table: each key takes a window.
    await Promise.all(
      [0, 1, 2, 3].map((part) =>
        statusesFrom(
          handler,
          flood.filter((_, index) => index % 4 === part),
        ),
      ),
    );
    assert.deepEqual(await statusesFrom(handler, ['198.51.100.1']), { 429: 1 });
  });

  it('refuses new clients rather than forget a live window when its store is full (fails closed)', async () => {
    const { handler } = tokens({
      clientIp: fromHeader,
      rateLimit: limitOf(2),
      rateLimitStore: memoryRateLimitStore({ maxKeys: 50 }),
    });
    assert.deepEqual(await statusesFrom(handler, ['198.51.100.1', '198.51.100.1', '198.51.100.1']), {
      200: 2,
      429: 1,
    });
    const flood = Array.from({ length: 100 }, (_, index) => `203.0.113.${index}`);
    assert.deepEqual(await statusesFrom(handler, flood), { 200: 49, 429: 51 });
    assert.deepEqual(await statusesFrom(handler, ['198.51.100.1']), { 429: 1 });
  });
});

describe('a Web handler that cannot tell clients apart', () => {
  it('refuses to serve (500, reported once) instead of counting every visitor in one bucket', async () => {
    const { handler, errors } = tokens();
    for (let index = 0; index < 3; index += 1) {
      const response = await handler(postJson(ENDPOINT, batchBody('convertapi', 1), { origin: SITE }));
      assert.equal(response.status, 500);
      const body = await bodyOf(response);
      assert.equal(body.error.code, 'internal-error');
      assert.equal(body.token, undefined);
      assert.match(body.error.message, /clientIp/);
    }
    assert.equal(errors.length, 1);
    const [error] = errors as [Error];
    assert.equal(error.name, 'ConfigurationError');
    assert.match(error.message, /clientIp/);
  });

  it('serves once the host chooses: a resolver (its undefined is one shared bucket), or rateLimit: false', async () => {
    const chosen = tokens({ clientIp: () => undefined, rateLimit: limitOf(1) });
    const ask = (handler: (request: Request) => Promise<Response>) =>
      handler(postJson(ENDPOINT, batchBody('convertapi', 1), { origin: SITE })).then(
        (response) => response.status,
      );
    assert.equal(await ask(chosen.handler), 200);
    assert.equal(await ask(chosen.handler), 429);
    const unlimited = tokens({ rateLimit: false });
    assert.equal(await ask(unlimited.handler), 200);
  });
});

describe('Host and the same-origin check', () => {
  /** A page on a rebinding domain (it resolves to the endpoint's loopback address) asking its "own" origin. */
  const rebinding = (port: number) =>
    postJson(`http://evil.example:${port}/api/convert/token`, batchBody('convertapi', 1), {
      origin: `http://evil.example:${port}`,
      headers: { 'Sec-Fetch-Site': 'same-origin' },
    });

  it('without publicOrigin, a rebinding page counts as same-origin (the Host header decides)', async () => {
    const { handler } = tokens({ clientIp: () => '127.0.0.1' });
    assert.equal((await handler(rebinding(3000))).status, 200);
  });

  it('with publicOrigin, only that origin is same-origin, whatever Host and Sec-Fetch-Site say', async () => {
    const { handler } = tokens({ clientIp: () => '127.0.0.1', publicOrigin: 'http://localhost:3000' });
    const refused = await handler(rebinding(3000));
    assert.equal(refused.status, 403);
    assert.equal((await bodyOf(refused)).error.code, 'origin-not-allowed');
    const own = postJson('http://localhost:3000/api/convert/token', batchBody('convertapi', 1), {
      origin: 'http://localhost:3000',
    });
    assert.equal((await handler(own)).status, 200);
    const behindProxy = postJson('http://10.0.0.5:8080/api/convert/token', batchBody('convertapi', 1), {
      origin: 'http://localhost:3000',
      headers: { 'Sec-Fetch-Site': 'same-origin' },
    });
    assert.equal((await handler(behindProxy)).status, 200);
    const partner = postJson('http://localhost:3000/api/convert/token', batchBody('convertapi', 1), {
      origin: PARTNER,
    });
    assert.equal((await handler(partner)).headers.get('access-control-allow-origin'), PARTNER);
  });

  it('with allowedHosts, refuses requests for any other Host, browsers or not', async () => {
    const { handler } = tokens({
      clientIp: () => '127.0.0.1',
      allowedHosts: ['localhost:3000', 'Site.Example'],
    });
    const ask = (url: string) =>
      handler(postJson(url, batchBody('convertapi', 1), { origin: null })).then(
        (response) => response.status,
      );
    assert.equal(await ask('http://evil.example:3000/api/convert/token'), 403);
    assert.equal(await ask('http://127.0.0.1:3000/api/convert/token'), 403);
    assert.equal(await ask('http://localhost:3000/api/convert/token'), 200);
    assert.equal(await ask('https://site.example/api/convert/token'), 200);
    assert.equal(await ask('https://site.example:443/api/convert/token'), 200);
  });

  it('refuses bad publicOrigin and allowedHosts values at startup', () => {
    for (const options of [
      { publicOrigin: '*' },
      { publicOrigin: 'https://site.example/path' },
      { publicOrigin: 'http://site.example' },
      { publicOrigin: [] },
      { allowedHosts: [] },
      { allowedHosts: ['https://site.example'] },
      { allowedHosts: 'site.example' },
    ]) {
      assert.throws(() => tokens(options as Partial<ConvertApiTokensOptions>), {
        name: 'ConfigurationError',
      });
    }
  });
});

describe('issuance budget', () => {
  it('caps conversions per calling origin and in total, per window', async () => {
    const { handler } = tokens({
      clientIp: () => '192.0.2.1',
      rateLimit: false,
      issuanceBudget: { windowMs: 60_000, perOrigin: 10, total: 15 },
    });
    const ask = async (files: number, origin: string | null) => {
      const response = await handler(postJson(ENDPOINT, batchBody('convertapi', files), { origin }));
      const body = await bodyOf(response);
      return response.status === 200 ? body.requestCount : `${response.status} ${body.error.code}`;
    };
    // Anonymous (non-browser) callers share one origin budget: 4 + 4, then 4 more would make 12 > 10.
    assert.equal(await ask(4, null), 4);
    assert.equal(await ask(4, null), 4);
    assert.equal(await ask(4, null), '429 rate-limited');
    // The site's own pages have their own budget, within the total of 15 (8 spent by anonymous callers).
    assert.equal(await ask(5, SITE), 5);
    assert.equal(await ask(5, SITE), '429 rate-limited');
    assert.equal(await ask(2, PARTNER), 2);
  });

  it('answers 429 with Retry-After, and refuses a nonsense budget at startup', async () => {
    const { handler } = tokens({
      clientIp: () => '192.0.2.1',
      issuanceBudget: { windowMs: 60_000, total: 1 },
    });
    await handler(postJson(ENDPOINT, batchBody('convertapi', 1), { origin: null }));
    const over = await handler(postJson(ENDPOINT, batchBody('convertapi', 1), { origin: null }));
    assert.equal(over.status, 429);
    assert.ok(Number(over.headers.get('retry-after')) >= 1);
    for (const issuanceBudget of [
      { windowMs: 60_000 },
      { windowMs: 10, total: 1 },
      { windowMs: 60_000, total: 0 },
    ]) {
      assert.throws(() => tokens({ issuanceBudget }), {
        name: 'ConfigurationError',
      });
    }
  });
});
