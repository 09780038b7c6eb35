import {
  isCloudConvertAccessToken,
  isCloudConvertServerJob,
} from '../../../src/providers/cloudconvert-credential.js';
import {
  isConvertApiCredential,
  parseConvertApiCredential,
} from '../../../src/providers/convertapi-credential.js';
import { expect } from '@open-wc/testing';
import type { CredentialLease, CredentialRequest } from '../../../src/engine/credential-source.js';
import { CredentialSource } from '../../../src/engine/credential-source.js';
import { ConvertError } from '../../../src/engine/errors.js';
import { tokenCalls } from '../support/backend-client.js';
import {
  Clock,
  T0,
  TokenScript,
  convertApiAnswer,
  credentialSource,
  deferred,
  expectNoPageErrors,
  numberedTokens,
} from './engine-harness.js';

/** What a file of `batchId` asks for: the files `names` (in order) still need a credential; `asker` asks. */
function requestFor(names: readonly string[], asker: string, batchId = 'batch-1'): CredentialRequest {
  return {
    body: {
      provider: 'convertapi',
      to: 'pdf',
      files: names.map((name) => ({ name, size: 100, type: 'text/plain' })),
    },
    keys: names,
    asker,
    batchId,
  };
}

function secretOf(lease: CredentialLease): string {
  const { credential } = lease;
  if (isConvertApiCredential(credential) || isCloudConvertAccessToken(credential))
    return credential.secretValue;
  throw new Error('expected a token');
}

async function failureOf(promise: Promise<unknown>): Promise<ConvertError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ConvertError);
    return error as ConvertError;
  }
  throw new Error('expected a failure');
}

describe('credential source', () => {
  expectNoPageErrors();

  it('makes one token call for the files of a batch that ask at once, and hands out exactly the uses it grants', async () => {
    const clock = new Clock(T0);
    const tokens = numberedTokens(clock, () => 4);
    tokens.gate = deferred();
    const source = credentialSource(tokens, clock);
    const names = ['a.txt', 'b.txt', 'c.txt'];

    const leases = Promise.all(names.map((name) => source.acquire(requestFor(names, name))));
    expect(tokens.calls, 'calls while the first is under way').to.equal(1);
    expect(tokens.requests[0]!.files.map((file) => file.name)).to.deep.equal(names);
    tokens.gate.resolve();
    const granted = await leases;
    expect(granted.map(secretOf)).to.deep.equal(['token-1', 'token-1', 'token-1']);
    expect(granted.map((lease) => lease.position)).to.deep.equal([0, 1, 2]);
    expect(tokens.calls).to.equal(1);

    // The answer granted 4 uses: one is left for a later file, and then the credential is spent.
    expect(secretOf(await source.acquire(requestFor(['d.txt'], 'd.txt', 'batch-2')))).to.equal('token-1');
    expect(tokens.calls).to.equal(1);
    expect(secretOf(await source.acquire(requestFor(['e.txt'], 'e.txt', 'batch-3')))).to.equal('token-2');
    expect(tokens.calls).to.equal(2);
  });

  it('asks again for the files left over when the answer grants fewer uses than files waiting', async () => {
    const clock = new Clock(T0);
    const tokens = numberedTokens(clock, () => 2);
    const source = credentialSource(tokens, clock);
    const names = ['a.txt', 'b.txt', 'c.txt'];

    const granted = await Promise.all(names.map((name) => source.acquire(requestFor(names, name))));
    expect(granted.map(secretOf).sort()).to.deep.equal(['token-1', 'token-1', 'token-2']);
    expect(tokens.calls).to.equal(2);
  });

  it('asks the endpoint again for as many files as its too-many-files refusal allows, the asking file among them, and remembers that limit', async () => {
    // Only the HTTP endpoint can refuse a batch: a tokenProvider's throw is always `token-provider-failed`.
    // The test backend's `counted` route is the server kit with its default limit of 25 files per request.
    const source = new CredentialSource({
      provider: 'convertapi',
      parse: parseConvertApiCredential,
      endpoint: '/__test/token/counted',
      maxLifetimeSeconds: 3600,
      baseUrl: location.href,
    });
    const callsBefore = (await tokenCalls())['counted'] ?? 0;
    const names = Array.from({ length: 26 }, (_, index) => `f${index}.txt`);

    const lease = await source.acquire(requestFor(names, 'f25.txt'));
    expect((await tokenCalls())['counted'], 'the refused call and the smaller one').to.equal(callsBefore + 2);
    // The kit grants one use per file asked for: 25, the window of 25 ending with the asking file.
    expect(lease.credential).to.include({ kind: 'convertapi-token', uses: 25 });
    expect(lease.position).to.equal(24);

    // A later batch is cut to the limit at once: one call.
    lease.reject();
    const more = Array.from({ length: 30 }, (_, index) => `g${index}.txt`);
    const next = await source.acquire(requestFor(more, 'g0.txt', 'batch-2'));
    expect((await tokenCalls())['counted']).to.equal(callsBefore + 3);
    expect(next.credential).to.include({ kind: 'convertapi-token', uses: 25 });
    expect(next.position).to.equal(0);
  });

  it('reuses a credential while it is far from expiry and renews it once the clock reaches expiry minus the 30 s margin', async () => {
    const clock = new Clock(T0);
    const tokens = new TokenScript((_request, call) =>
      convertApiAnswer(`token-${call}`, clock.ms + 600_000, 100),
    );
    const source = credentialSource(tokens, clock);
    const ask = async (name: string) => secretOf(await source.acquire(requestFor([name], name, name)));

    expect(await ask('a.txt')).to.equal('token-1');
    clock.ms = T0 + 600_000 - 30_000 - 1;
    expect(await ask('b.txt')).to.equal('token-1');
    expect(tokens.calls).to.equal(1);
    clock.ms = T0 + 600_000 - 30_000;
    expect(await ask('c.txt')).to.equal('token-2');
    expect(tokens.calls).to.equal(2);
  });

  it('honours renewBeforeMs as the renewal margin', async () => {
    const clock = new Clock(T0);
    const tokens = new TokenScript((_request, call) =>
      convertApiAnswer(`token-${call}`, clock.ms + 600_000, 100),
    );
    const source = credentialSource(tokens, clock, { renewBeforeMs: 120_000 });
    const ask = async (name: string) => secretOf(await source.acquire(requestFor([name], name, name)));

    expect(await ask('a.txt')).to.equal('token-1');
    clock.ms = T0 + 480_000 - 1;
    expect(await ask('b.txt')).to.equal('token-1');
    clock.ms = T0 + 480_000;
    expect(await ask('c.txt')).to.equal('token-2');
  });

  it('still uses a credential that lives less than twice the margin, renewing it only after half its life', async () => {
    const clock = new Clock(T0);
    const tokens = new TokenScript((_request, call) =>
      convertApiAnswer(`token-${call}`, clock.ms + 20_000, 100),
    );
    const source = credentialSource(tokens, clock);
    const ask = async (name: string) => secretOf(await source.acquire(requestFor([name], name, name)));

    // With the full 30 s margin it would count as stale on arrival and never be used.
    expect(await ask('a.txt')).to.equal('token-1');
    expect(tokens.calls).to.equal(1);
    clock.ms = T0 + 10_000 - 1;
    expect(await ask('b.txt')).to.equal('token-1');
    clock.ms = T0 + 10_000;
    expect(await ask('c.txt')).to.equal('token-2');
    expect(tokens.calls).to.equal(2);
  });

  it('never hands out a rejected credential again, though it has uses left: the next acquire asks the token provider again', async () => {
    const clock = new Clock(T0);
    const tokens = numberedTokens(clock, () => 5);
    const source = credentialSource(tokens, clock);
    const names = ['a.txt', 'b.txt'];

    const first = await source.acquire(requestFor(names, 'a.txt'));
    expect(secretOf(first)).to.equal('token-1');
    first.reject();
    const replay = await source.acquire(requestFor(names, 'a.txt'));
    expect(secretOf(replay)).to.equal('token-2');
    expect(secretOf(await source.acquire(requestFor(names, 'b.txt')))).to.equal('token-2');
    expect(tokens.calls).to.equal(2);
  });

  it('keeps the current credential when a lease of an older one is rejected late', async () => {
    const clock = new Clock(T0);
    const tokens = numberedTokens(clock, (request) => (request.files[0]?.name === 'a.txt' ? 1 : 5));
    const source = credentialSource(tokens, clock);

    const old = await source.acquire(requestFor(['a.txt'], 'a.txt', 'batch-1'));
    expect(secretOf(await source.acquire(requestFor(['b.txt'], 'b.txt', 'batch-2')))).to.equal('token-2');
    old.reject();
    expect(secretOf(await source.acquire(requestFor(['c.txt'], 'c.txt', 'batch-3')))).to.equal('token-2');
    expect(tokens.calls).to.equal(2);
  });

  it('stops waiting for askers whose signals abort, the one that started the call among them, while that call still serves the rest of the batch', async () => {
    const clock = new Clock(T0);
    const tokens = numberedTokens(clock);
    tokens.gate = deferred();
    const source = credentialSource(tokens, clock);
    const names = ['a.txt', 'b.txt', 'c.txt'];
    const starter = new AbortController();
    const waiter = new AbortController();

    const first = source.acquire(requestFor(names, 'a.txt'), starter.signal);
    const second = source.acquire(requestFor(names, 'b.txt'), waiter.signal);
    const third = source.acquire(requestFor(names, 'c.txt'));
    starter.abort(new DOMException('Canceled', 'AbortError'));
    waiter.abort(new DOMException('Canceled', 'AbortError'));
    expect((await failureOf(first)).code).to.equal('canceled');
    expect((await failureOf(second)).code).to.equal('canceled');
    tokens.gate.resolve();
    expect(secretOf(await third)).to.equal('token-1');
    expect(tokens.calls).to.equal(1);
  });

  it('serves a CloudConvert server job only to the files of the batch it was made for, not to a file retried in a new batch', async () => {
    const clock = new Clock(T0);
    const tokens = new TokenScript((_request, call) => ({
      provider: 'cloudconvert',
      job: { id: `job-${call}`, tasks: [] },
      statusUrl: `/jobs/job-${call}/status`,
      expiresAt: new Date(clock.ms + 600_000).toISOString(),
    }));
    const source = credentialSource(tokens, clock, { provider: 'cloudconvert' });
    const jobOf = (lease: CredentialLease) =>
      isCloudConvertServerJob(lease.credential) ? lease.credential.job : undefined;

    const names = ['a.png', 'b.png'];
    const a = await source.acquire(requestFor(names, 'a.png', 'batch-1'));
    const b = await source.acquire(requestFor(names, 'b.png', 'batch-1'));
    expect([jobOf(a), jobOf(b)]).to.deep.equal([
      { id: 'job-1', tasks: [] },
      { id: 'job-1', tasks: [] },
    ]);
    expect([a.position, b.position]).to.deep.equal([0, 1]);
    expect(tokens.calls).to.equal(1);

    const other = await source.acquire(requestFor(['c.png'], 'c.png', 'batch-2'));
    expect(jobOf(other)).to.deep.equal({ id: 'job-2', tasks: [] });
    expect(tokens.calls).to.equal(2);

    // Retried, a.png asks again under the same key in a new batch: it needs a job of its own.
    const retried = await source.acquire(requestFor(['a.png'], 'a.png', 'batch-3'));
    expect(jobOf(retried)).to.deep.equal({ id: 'job-3', tasks: [] });
    expect(tokens.calls).to.equal(3);
  });

  it('reports a throwing tokenProvider as token-provider-failed to every file waiting on that call, and a failing endpoint as token-endpoint-failed', async () => {
    const clock = new Clock(T0);
    const thrown = new Error('the page lost its CSRF token');
    const tokens = new TokenScript(() => {
      throw thrown;
    });
    const source = credentialSource(tokens, clock);
    const names = ['a.txt', 'b.txt'];

    const failures = await Promise.all(
      names.map((name) => failureOf(source.acquire(requestFor(names, name)))),
    );
    expect(failures.map((failure) => failure.code)).to.deep.equal([
      'token-provider-failed',
      'token-provider-failed',
    ]);
    expect(failures[0]!.retryable).to.be.true;
    expect(failures[0]!.cause).to.equal(thrown);
    expect(tokens.calls).to.equal(1);

    const endpoint = new CredentialSource({
      provider: 'convertapi',
      parse: parseConvertApiCredential,
      endpoint: '/__test/token/status-500',
      maxLifetimeSeconds: 3600,
      baseUrl: location.href,
    });
    const failure = await failureOf(endpoint.acquire(requestFor(['a.txt'], 'a.txt')));
    expect([failure.code, failure.status]).to.deep.equal(['token-endpoint-failed', 500]);
  });
});
