import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  createByteLimit,
  createThrottle,
  FaultRegistry,
  FaultValidationError,
  parseFaults,
} from '../src/faults.js';
import { startSandbox } from '../src/index.js';
import type { Sandbox } from '../src/index.js';
import { control, rawRequest } from './helpers/sandbox-http.js';

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('fault registry', () => {
  it('matches service, method and wildcard path, first fault first', () => {
    const registry = new FaultRegistry();
    registry.add([
      {
        match: { service: 'convertapi', method: 'post', path: '/convert/*/to/pdf' },
        action: { status: 503 },
      },
      { match: { path: '/upload' }, action: { status: 500 } },
    ]);
    assert.equal(registry.take('convertapi', 'POST', '/convert/txt/to/pdf')?.status, 503);
    assert.equal(registry.take('convertapi', 'GET', '/convert/txt/to/pdf'), undefined);
    assert.equal(registry.take('cloudconvert-api', 'POST', '/convert/txt/to/pdf'), undefined);
    assert.equal(registry.take('convertapi', 'POST', '/convert/txt/to/png'), undefined);
    assert.equal(registry.take('cloudconvert-storage', 'PUT', '/upload')?.status, 500);
    assert.equal(registry.take('convertapi', 'POST', '/uploads'), undefined);
  });

  it('counts `times` down and forgets a used-up fault; clear() drops the rest', () => {
    const registry = new FaultRegistry();
    registry.add([
      { match: {}, times: 2, action: { status: 500 } },
      { match: {}, action: { status: 502 } },
    ]);
    assert.equal(registry.take('convertapi', 'GET', '/a')?.status, 500);
    assert.equal(registry.take('convertapi', 'GET', '/a')?.status, 500);
    assert.equal(registry.take('convertapi', 'GET', '/a')?.status, 502);
    assert.equal(registry.take('convertapi', 'GET', '/a')?.status, 502);
    registry.clear();
    assert.equal(registry.take('convertapi', 'GET', '/a'), undefined);
  });

  it('validates fault descriptions', () => {
    assert.deepEqual(parseFaults({ match: { path: '/x' }, action: { delayMs: 5 } }), [
      { match: { path: '/x' }, action: { delayMs: 5 } },
    ]);
    assert.throws(() => parseFaults({ match: {}, action: {} }), FaultValidationError);
    assert.throws(
      () => parseFaults({ match: { service: 'nope' }, action: { status: 500 } }),
      FaultValidationError,
    );
    assert.throws(() => parseFaults({ match: {}, action: { status: 42 } }), FaultValidationError);
    assert.throws(() => parseFaults({ match: {}, times: 0, action: { status: 500 } }), FaultValidationError);
    assert.throws(
      () => parseFaults([{ match: {}, action: { throttleBytesPerSec: -1 } }]),
      FaultValidationError,
    );
  });

  it('throttle passes every byte through in order', async () => {
    const data = randomBytes(3000);
    const out = await collect(
      Readable.from([data.subarray(0, 1000), data.subarray(1000)]).pipe(createThrottle(30_000)),
    );
    assert.deepEqual(out, data);
  });

  it('byte limit passes exactly the limit and then reports it', async () => {
    let fired = 0;
    const out = await collect(
      Readable.from([Buffer.alloc(600, 1), Buffer.alloc(600, 2)]).pipe(createByteLimit(1000, () => fired++)),
    );
    assert.equal(out.length, 1000);
    assert.equal(fired, 1);
  });
});

describe('fault injection through the server', () => {
  let sandbox: Sandbox;
  let auth: Record<string, string>;

  before(async () => {
    sandbox = await startSandbox();
    auth = { Authorization: `Bearer ${sandbox.convertapi.secret}` };
  });
  after(() => sandbox.close());
  beforeEach(() => {
    sandbox.clearFaults();
  });

  const user = (): Promise<Response> => fetch(`${sandbox.convertapi.base}/user`, { headers: auth });

  it('answers with status, body and headers instead of the service, `times` times', async () => {
    const created = await control(sandbox.url, 'POST', '/faults', [
      {
        match: { service: 'convertapi', method: 'GET', path: '/user' },
        times: 1,
        action: { status: 503, body: { Code: 503, Message: 'Throttled' }, headers: { 'Retry-After': '3' } },
      },
    ]);
    assert.equal(created.status, 201);
    const faulted = await fetch(`${sandbox.convertapi.base}/user`, {
      headers: { ...auth, Origin: 'http://app.test' },
    });
    assert.equal(faulted.status, 503);
    assert.equal(faulted.headers.get('retry-after'), '3');
    assert.equal(
      faulted.headers.get('access-control-allow-origin'),
      '*',
      'fault answers keep the service CORS',
    );
    assert.deepEqual(await faulted.json(), { Code: 503, Message: 'Throttled' });
    const next = await user();
    assert.equal(next.status, 200);
    assert.equal(((await next.json()) as { Active: boolean }).Active, true);
    const log = sandbox.requests().filter((entry) => entry.path === '/user');
    assert.deepEqual(
      log.slice(-2).map((entry) => [entry.status, entry.fault === true]),
      [
        [503, true],
        [200, false],
      ],
    );
  });

  it('keeps a fault without `times` until it is cleared', async () => {
    sandbox.addFaults({ match: { path: '/user' }, action: { status: 500 } });
    assert.equal((await user()).status, 500);
    assert.equal((await user()).status, 500);
    assert.equal((await control(sandbox.url, 'DELETE', '/faults')).status, 204);
    assert.equal((await user()).status, 200);
  });

  it('delays the answer', async () => {
    // No clock is read: the delayed request must still be unanswered after a later, undelayed
    // request to the same route has been answered in full, and it is logged last, as faulted.
    sandbox.addFaults({ match: { path: '/user' }, times: 1, action: { delayMs: 1500 } });
    const since = sandbox.requests().at(-1)?.seq ?? 0;
    let delayedSettled = false;
    const delayed = user().finally(() => {
      delayedSettled = true;
    });
    // The fault is used up once the sandbox has taken the delayed request.
    for (let tries = 0; ; tries += 1) {
      const armed = (await (await control(sandbox.url, 'GET', '/faults')).json()) as unknown[];
      if (armed.length === 0) break;
      assert.ok(tries < 200, 'the delayed request never reached the sandbox');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const undelayed = await user();
    assert.equal(undelayed.status, 200);
    await undelayed.json();
    assert.equal(delayedSettled, false, 'the delayed answer came before a later undelayed one');
    assert.deepEqual(
      sandbox.requests(since).map((entry) => [entry.path, entry.status, entry.fault === true]),
      [['/user', 200, false]],
    );
    const response = await delayed;
    assert.equal(response.status, 200);
    assert.equal(typeof ((await response.json()) as { ConversionsTotal: number }).ConversionsTotal, 'number');
    await waitFor(() => sandbox.requests(since).length === 2);
    assert.deepEqual(
      sandbox.requests(since).map((entry) => [entry.path, entry.status, entry.fault === true]),
      [
        ['/user', 200, false],
        ['/user', 200, true],
      ],
    );
  });

  it('throttles a request body and still receives every byte', async () => {
    const data = randomBytes(24_000);
    sandbox.addFaults({ match: { path: '/upload' }, times: 1, action: { throttleBytesPerSec: 64_000 } });
    const upload = await fetch(`${sandbox.convertapi.base}/upload?filename=slow.bin`, {
      method: 'POST',
      headers: { Accept: 'application/json' },
      body: data,
    });
    assert.equal(upload.status, 200);
    const { FileSize, Url } = (await upload.json()) as { FileSize: number; Url: string };
    assert.equal(FileSize, data.length);
    assert.deepEqual(Buffer.from(await (await fetch(Url)).arrayBuffer()), data);
  });

  it('throttles the response when the request has no body', async () => {
    const plain = await (await fetch(`${sandbox.convertapi.base}/info`)).text();
    sandbox.addFaults({
      match: { path: '/info' },
      times: 1,
      action: { throttleBytesPerSec: Math.max(2000, plain.length * 4) },
    });
    const throttled = await fetch(`${sandbox.convertapi.base}/info`);
    assert.equal(throttled.status, 200);
    assert.deepEqual(JSON.parse(await throttled.text()), JSON.parse(plain));
  });

  it('resets the connection after N request-body bytes', async () => {
    sandbox.addFaults({ match: { path: '/upload' }, times: 1, action: { resetAfterBytes: 10_000 } });
    const since = sandbox.requests().at(-1)?.seq ?? 0;
    await assert.rejects(
      rawRequest(`${sandbox.convertapi.base}/upload?filename=big.bin`, {
        method: 'POST',
        body: randomBytes(400_000),
      }),
      (error: NodeJS.ErrnoException) =>
        ['ECONNRESET', 'EPIPE'].includes(error.code ?? '') || /socket hang up/.test(error.message),
    );
    await waitFor(() => sandbox.requests(since).length > 0);
    const [entry] = sandbox.requests(since);
    assert.equal(entry?.status, 0);
    assert.equal(entry.fault, true);
    // The server is still fine afterwards.
    assert.equal((await user()).status, 200);
  });

  it('sends the service JSON corrupted, with the same status', async () => {
    sandbox.addFaults({ match: { path: '/user' }, times: 1, action: { malformed: true } });
    const response = await user();
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.ok(text.length > 0);
    assert.throws(() => JSON.parse(text), SyntaxError);
    // The same for an error answer.
    sandbox.addFaults({ match: { path: '/user' }, times: 1, action: { malformed: true } });
    const refused = await fetch(`${sandbox.convertapi.base}/user`);
    assert.equal(refused.status, 401);
    const refusedText = await refused.text();
    assert.ok(refusedText.startsWith('{"Code":40'), 'still the start of the real error body');
    assert.throws(() => JSON.parse(refusedText), SyntaxError);
  });

  it('leaves CORS preflights alone unless the fault names OPTIONS', async () => {
    sandbox.addFaults({ match: { path: '/upload' }, times: 1, action: { status: 500 } });
    const preflight = await fetch(`${sandbox.convertapi.base}/upload`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://app.test', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    const upload = await fetch(`${sandbox.convertapi.base}/upload?filename=a.txt`, {
      method: 'POST',
      body: 'a',
    });
    assert.equal(upload.status, 500, 'the fault was still armed for the real request');

    sandbox.addFaults({ match: { method: 'OPTIONS', path: '/upload' }, times: 1, action: { status: 418 } });
    const faulted = await fetch(`${sandbox.convertapi.base}/upload`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://app.test', 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(faulted.status, 418);
  });

  it('only touches the matching service', async () => {
    sandbox.addFaults({ match: { service: 'cloudconvert-api' }, action: { status: 500 } });
    assert.equal((await user()).status, 200);
  });

  it('refuses invalid faults with 400 and lists armed ones', async () => {
    const bad = await control(sandbox.url, 'POST', '/faults', { match: {}, action: { status: 'x' } });
    assert.equal(bad.status, 400);
    const badJson = await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', body: '{' });
    assert.equal(badJson.status, 400);
    await control(sandbox.url, 'POST', '/faults', {
      match: { path: '/a' },
      times: 2,
      action: { delayMs: 1 },
    });
    const listed = (await (await control(sandbox.url, 'GET', '/faults')).json()) as unknown[];
    assert.deepEqual(listed, [{ match: { path: '/a' }, times: 2, action: { delayMs: 1 } }]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
