// The security review's finding 8: a job ticket is a bearer URL. With `bindTickets` it opens only for the
// visitor who created the job (before the option, the curl request below read the job: 200).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from 'convert-uploader-sandbox';
import { cloudConvertJobs, type CloudConvertJobsOptions } from '../../../src/server/index.js';
import { batchBody, bodyOf, postJson, SITE, TEST_KEY } from '../helpers/server-fixtures.js';
import { lastSeq } from '../helpers/server-sandbox-flows.js';

const ENDPOINT = `${SITE}/api/convert/jobs`;

// The jobs are created in and read from the sandbox's CloudConvert.
let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox({ port: 0 });
});
after(() => sandbox.close());

function jobs(options: Partial<CloudConvertJobsOptions> = {}) {
  return cloudConvertJobs({
    apiKey: sandbox.cloudconvert.apiKey,
    apiBase: sandbox.cloudconvert.api,
    formats: ['pdf'],
    ticketSecret: TEST_KEY,
    clientIp: () => '203.0.113.10',
    ...options,
  });
}

/** A same-origin status poll (no Origin on a same-origin GET), with `cookie` if given. */
function poll(statusUrl: string, cookie?: string): Request {
  return new Request(new URL(statusUrl, ENDPOINT), {
    headers: { 'Sec-Fetch-Site': 'same-origin', ...(cookie === undefined ? {} : { Cookie: cookie }) },
  });
}

describe('job tickets bound to the visitor (bindTickets)', () => {
  it('unbound (the default): whoever holds the status URL reads the job', async () => {
    const handler = jobs();
    const created = await bodyOf(await handler(postJson(ENDPOINT, batchBody('cloudconvert', 1))));
    assert.equal((await handler(new Request(new URL(created.statusUrl, ENDPOINT)))).status, 200);
  });

  it("'cookie': sets a signed HttpOnly cookie with the first job; the ticket opens with it only", async () => {
    const handler = jobs({ bindTickets: 'cookie' });
    const response = await handler(postJson(ENDPOINT, batchBody('cloudconvert', 1)));
    assert.equal(response.status, 200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    assert.match(
      setCookie,
      /^__Host-convert-uploader-jobs=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/,
    );
    const cookie = setCookie.split(';')[0] as string;
    const { statusUrl, job } = await bodyOf(response);

    const mine = await handler(poll(statusUrl, cookie));
    assert.equal(mine.status, 200);
    assert.equal((await bodyOf(mine)).job.id, job.id);
    // The leaked URL alone (an access log, curl) opens nothing, nor does another visitor's cookie.
    assert.equal((await handler(new Request(new URL(statusUrl, ENDPOINT)))).status, 404);
    assert.equal((await handler(poll(statusUrl))).status, 404);
    const other = await handler(postJson(ENDPOINT, batchBody('cloudconvert', 1)));
    const otherCookie = (other.headers.get('set-cookie') ?? '').split(';')[0] as string;
    assert.notEqual(otherCookie, cookie);
    assert.equal((await handler(poll(statusUrl, otherCookie))).status, 404);
    // A forged cookie value is no visitor.
    assert.equal((await handler(poll(statusUrl, `${cookie.slice(0, -3)}AAA`))).status, 404);

    // A visitor keeps its cookie: the second job sets none and opens with the same one.
    const again = await handler(
      postJson(ENDPOINT, batchBody('cloudconvert', 1), { headers: { Cookie: cookie } }),
    );
    assert.equal(again.headers.get('set-cookie'), null);
    assert.equal((await handler(poll((await bodyOf(again)).statusUrl, cookie))).status, 200);
  });

  it("'cookie' on plain-http loopback development: no __Host- prefix, no Secure", async () => {
    const handler = jobs({ bindTickets: 'cookie' });
    const response = await handler(
      postJson('http://localhost:3000/api/convert/jobs', batchBody('cloudconvert', 1), { origin: null }),
    );
    assert.match(response.headers.get('set-cookie') ?? '', /^convert-uploader-jobs=.*SameSite=Lax$/);
  });

  it('a function: binds to your own visitor id, refuses a job to an unknown visitor', async () => {
    const handler = jobs({ bindTickets: (request) => request.headers.get('x-user') ?? undefined });
    const as = (user: string | undefined): Record<string, string> =>
      user === undefined ? {} : { 'X-User': user };
    const since = lastSeq(sandbox);
    const refused = await handler(postJson(ENDPOINT, batchBody('cloudconvert', 1)));
    assert.equal(refused.status, 401);
    assert.deepEqual(sandbox.requests(since), [], 'no job was created');
    const created = await bodyOf(
      await handler(postJson(ENDPOINT, batchBody('cloudconvert', 1), { headers: as('alice') })),
    );
    const read = (user: string | undefined) =>
      handler(new Request(new URL(created.statusUrl, ENDPOINT), { headers: as(user) })).then((r) => r.status);
    assert.equal(await read('alice'), 200);
    assert.equal(await read('bob'), 404);
    assert.equal(await read(undefined), 404);
  });

  it('a binding handler refuses unbound tickets, and bindTickets takes only "cookie" or a function', async () => {
    const unbound = jobs();
    const ticket = (await bodyOf(await unbound(postJson(ENDPOINT, batchBody('cloudconvert', 1))))).statusUrl;
    const binding = jobs({ bindTickets: (request) => request.headers.get('x-user') ?? undefined });
    assert.equal(
      (await binding(new Request(new URL(ticket, ENDPOINT), { headers: { 'X-User': 'a' } }))).status,
      404,
    );
    assert.throws(() => jobs({ bindTickets: 'session' as 'cookie' }), { name: 'ConfigurationError' });
  });
});
