// Several instances of one site (separate Node processes) share a real Redis and the sandbox: the OAuth
// connection survives concurrent refreshes, the rate limit is served once across instances, and a job ticket
// issued by one instance opens on another. Each test prints its figures.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from 'convert-uploader-sandbox';
import { CookieJar } from '../helpers/server-cookie-jar.js';
import { batchBody } from '../helpers/server-fixtures.js';
import { approveConsent } from '../helpers/server-sandbox-flows.js';
import { startKitInstances, type ServingProcess } from '../helpers/kit-instances.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';

const INSTANCES = 3;
const RATE_LIMIT = 10;
const ROUNDS = 50;

let redis: RedisServer | undefined;
let sandbox: Sandbox | undefined;
let instances: ServingProcess[] = [];

let lockless: ServingProcess[] = [];

before(async () => {
  redis = await startRedisServer();
  // Access tokens live 30 s and the instances refresh 60 s ahead: every token request refreshes, and the
  // sandbox rotates the refresh token each time (the old one stops working), as CloudConvert's host does.
  sandbox = await startSandbox({ port: 0, accessTokenLifetimeSec: 30, processingMs: 50 });
  const site = {
    redisUrl: redis.url,
    encryptionKey: randomBytes(32).toString('base64url'),
    convertapi: { ...sandbox.convertapi, rateLimitMax: RATE_LIMIT },
    cloudconvert: { ...sandbox.cloudconvert, refreshLeeway: 60 },
  };
  [instances, lockless] = await Promise.all([
    startKitInstances(INSTANCES, { ...site, prefix: `test:${randomBytes(6).toString('hex')}:` }),
    startKitInstances(2, { ...site, prefix: `test:${randomBytes(6).toString('hex')}:`, withoutLock: true }),
  ]);
});

after(async () => {
  await Promise.all([...instances, ...lockless].map((instance) => instance.stop()));
  await sandbox?.close();
  await redis?.stop();
});

const instance = (index: number): string => (instances[index] as ServingProcess).url;

/** A request of a browser with `jar`'s cookies (same-origin: no Origin, as curl), taking the cookies it sets. */
async function browser(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, {
    redirect: 'manual',
    ...init,
    headers: { Cookie: jar.header(), ...(init.headers as Record<string, string> | undefined) },
  });
  jar.take(response);
  return response;
}

const postJson = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/** Connects a visitor, then asks `pair` for a token at the same time, `ROUNDS` times; asserts and prints figures. */
async function concurrentRefreshes(pair: readonly ServingProcess[], label: string): Promise<void> {
  const url = (index: number) => (pair[index] as ServingProcess).url;
  const jar = new CookieJar();
  const start = await browser(jar, `${url(0)}/api/convert/oauth/start`);
  assert.equal(start.status, 302);
  const back = await approveConsent(start.headers.get('location') ?? '');
  // The registered callback (localhost) reaches instance 1 here: any instance finishes any flow.
  const callback = await browser(jar, `${url(1)}${back.pathname}${back.search}`);
  assert.match(callback.headers.get('location') ?? '', /cloudconvert=connected$/);

  const since = sandbox?.requests().at(-1)?.seq ?? 0;
  let refused = 0;
  let roundsLost = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    const answers = await Promise.all(
      [0, 1].map((index) =>
        browser(jar, `${url(index)}/api/convert/oauth/token`, postJson(batchBody('cloudconvert', 1))),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    await Promise.all(answers.map((answer) => answer.arrayBuffer()));
    refused += statuses.filter((status) => status !== 200).length;
    if (statuses.includes(401)) roundsLost += 1;
  }
  const tokenCalls = (sandbox?.requests(since) ?? []).filter(
    (entry) => entry.path.endsWith('/token') && entry.method === 'POST',
  );
  const rotations = tokenCalls.filter((entry) => entry.status === 200).length;
  const invalidGrants = tokenCalls.filter((entry) => entry.status === 400).length;
  console.log(
    `OAuth, ${label}: ${ROUNDS} rounds × 2 instances = ${ROUNDS * 2} token requests, ${tokenCalls.length} refreshes tried ` +
      `(${rotations} rotated, ${invalidGrants} invalid_grant), connections lost: ${roundsLost}, answers other than 200: ${refused}`,
  );
  assert.equal(roundsLost, 0);
  assert.equal(refused, 0);
  assert.equal(rotations, ROUNDS * 2, 'every request refreshed, and each got its own rotation');
  // Each refresh revokes the access token before it (in this setup every request refreshes): the latest works.
  const latest = await browser(
    jar,
    `${url(0)}/api/convert/oauth/token`,
    postJson(batchBody('cloudconvert', 1)),
  );
  const { accessToken } = (await latest.json()) as { accessToken: string };
  const jobs = await fetch(`${sandbox?.cloudconvert.api}/jobs`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  await jobs.arrayBuffer();
  assert.equal(jobs.status, 200, 'the latest access token works');
}

describe('several instances sharing Redis and the sandbox', () => {
  it(`keep the OAuth connection through ${ROUNDS} rounds of concurrent refreshes on two instances`, () =>
    concurrentRefreshes(instances.slice(0, 2), 'Redis store with its lock'));

  it('keep it too when the store has no lock (compare-and-set, and reading again after invalid_grant)', () =>
    concurrentRefreshes(lockless, 'Redis store without its lock'));

  it(`serve a rate limit of ${RATE_LIMIT} once across ${INSTANCES} instances, not ${INSTANCES} times`, async () => {
    const statuses: number[] = [];
    for (let index = 0; index < RATE_LIMIT * INSTANCES; index += 1) {
      const answer = await fetch(
        `${instance(index % INSTANCES)}/api/convert/token`,
        postJson(batchBody('convertapi', 1)),
      );
      await answer.arrayBuffer();
      statuses.push(answer.status);
    }
    const served = statuses.filter((status) => status === 200).length;
    const limited = statuses.filter((status) => status === 429).length;
    console.log(
      `rate limit: ${statuses.length} requests from one client across ${INSTANCES} instances at limit ${RATE_LIMIT}/min: ${served} served, ${limited} refused (429)`,
    );
    assert.equal(served, RATE_LIMIT);
    assert.equal(limited, RATE_LIMIT * (INSTANCES - 1));
  });

  it('honour a job ticket issued by one instance on the others (bound to the visitor cookie)', async () => {
    const jar = new CookieJar();
    const text = 'Converted across instances.';
    const created = await browser(
      jar,
      `${instance(0)}/api/convert/jobs`,
      postJson({
        provider: 'cloudconvert',
        to: 'pdf',
        files: [{ name: 'note.txt', size: text.length, type: 'text/plain' }],
      }),
    );
    assert.equal(created.status, 200);
    const { statusUrl, job } = (await created.json()) as {
      statusUrl: string;
      job: {
        id: string;
        tasks: Array<{ result?: { form?: { url: string; parameters: Record<string, string> } } }>;
      };
    };
    const form = job.tasks.find((task) => task.result?.form)?.result?.form;
    assert.ok(form);
    const upload = new FormData();
    for (const [key, value] of Object.entries(form.parameters)) upload.append(key, value);
    upload.append('file', new Blob([text], { type: 'text/plain' }), 'note.txt');
    const uploaded = await fetch(form.url, { method: 'POST', body: upload });
    await uploaded.arrayBuffer();
    assert.ok(uploaded.ok);

    let status = '';
    for (let poll = 0; poll < 200 && status !== 'finished'; poll += 1) {
      const answer = await browser(jar, `${instance(1 + (poll % 2))}${statusUrl}`);
      assert.equal(answer.status, 200, `instance ${1 + (poll % 2)} opens the ticket`);
      const body = (await answer.json()) as { job: { id: string; status: string } };
      assert.equal(body.job.id, job.id);
      status = body.job.status;
      if (status !== 'finished') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(status, 'finished');
    const stranger = await fetch(`${instance(2)}${statusUrl}`);
    await stranger.arrayBuffer();
    assert.equal(stranger.status, 404, 'without the visitor cookie the ticket opens nothing');
  });
});
