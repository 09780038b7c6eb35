import { isConvertApiCredential } from '../../../src/providers/convertapi-credential.js';
import { expect } from '@open-wc/testing';
import { ConvertError } from '../../../src/engine/errors.js';
import type { FileConversion } from '../../../src/engine/provider-port.js';
import { canMove } from '../../../src/engine/status.js';
import { UploadQueue } from '../../../src/engine/upload-queue.js';
import type { UploadStatus } from '../../../src/engine/types.js';
import {
  Clock,
  QueueHarness,
  T0,
  TestAdapter,
  TokenScript,
  convertApiAnswer,
  credentialSource,
  deferred,
  expectNoPageErrors,
  numberedTokens,
  resultOf,
  until,
} from './engine-harness.js';

/** The secret of the credential a job acquires. */
async function tokenOf(job: FileConversion): Promise<string> {
  const lease = await job.acquireCredential();
  if (!isConvertApiCredential(lease.credential)) throw new Error('expected a token');
  return lease.credential.secretValue;
}

describe('upload queue', () => {
  expectNoPageErrors();

  it('makes one token call for the files of a batch that authorize together, and uses the credential up', async () => {
    const clock = new Clock(T0);
    const tokens = numberedTokens(clock);
    tokens.gate = deferred();
    const used = new Map<string, string>();
    const adapter = new TestAdapter(async (job) => {
      job.onPhase('authorizing');
      used.set(job.file.name, await tokenOf(job));
      job.onPhase('uploading');
      job.onUploadProgress(1);
      return resultOf(job);
    });
    const h = new QueueHarness(adapter, credentialSource(tokens, clock));
    const ids = h.add('a.txt', 'b.txt', 'c.txt');

    const completion = h.nextCompletion();
    h.queue.start();
    await until(() => ids.every((id) => h.status(id) === 'authorizing'), 'every file to authorize');
    expect(tokens.calls).to.equal(1);
    expect(tokens.requests[0]!.files.map((file) => file.name)).to.deep.equal(['a.txt', 'b.txt', 'c.txt']);
    tokens.gate.resolve();
    expect(await completion).to.deep.equal({ succeeded: 3, failed: 0, canceled: 0 });
    expect([...used.values()]).to.deep.equal(['token-1', 'token-1', 'token-1']);
    expect(tokens.calls).to.equal(1);

    // The three uses are spent: a file added later needs a call of its own.
    const [d] = h.add('d.txt');
    const later = h.nextCompletion();
    h.queue.start();
    await later;
    expect(h.status(d!)).to.equal('done');
    expect(used.get('d.txt')).to.equal('token-2');
    expect(tokens.requests[1]!.files.map((file) => file.name)).to.deep.equal(['d.txt']);
  });

  it('starts at most `concurrency` files, and the ones that wait for a slot use the credential their batch got', async () => {
    const clock = new Clock(T0);
    const tokens = numberedTokens(clock);
    let atWork = 0;
    let mostAtWork = 0;
    const used: string[] = [];
    const adapter = new TestAdapter(async (job) => {
      atWork += 1;
      mostAtWork = Math.max(mostAtWork, atWork);
      job.onPhase('authorizing');
      used.push(await tokenOf(job));
      atWork -= 1;
      return resultOf(job);
    });
    const h = new QueueHarness(adapter, credentialSource(tokens, clock));
    h.settings = { ...h.settings, concurrency: 1 };
    h.add('a.txt', 'b.txt', 'c.txt');

    const completion = h.nextCompletion();
    h.queue.start();
    expect(await completion).to.deep.equal({ succeeded: 3, failed: 0, canceled: 0 });
    expect(mostAtWork).to.equal(1);
    expect(used).to.deep.equal(['token-1', 'token-1', 'token-1']);
    expect(tokens.calls).to.equal(1);
    expect(tokens.requests[0]!.files).to.have.length(3);
  });

  it('replays a request once with a fresh credential after the service refuses one (401), asking only for the files still without one, and never hands the refused one out again', async () => {
    const clock = new Clock(T0);
    const tokens = numberedTokens(clock);
    const bHasOne = deferred();
    const cWaits = deferred();
    const used = new Map<string, string[]>();
    const adapter = new TestAdapter(async (job) => {
      const name = job.file.name;
      if (name === 'c.txt') await cWaits.promise;
      job.onPhase('authorizing');
      const lease = await job.acquireCredential();
      const secret = isConvertApiCredential(lease.credential) ? lease.credential.secretValue : '';
      used.set(name, [secret]);
      if (name === 'b.txt') bHasOne.resolve();
      if (name === 'a.txt') {
        await bHasOne.promise;
        // The service answered 401: the adapter drops the credential and asks again, once.
        lease.reject();
        const again = await tokenOf(job);
        used.set(name, [secret, again]);
      }
      return resultOf(job);
    });
    const h = new QueueHarness(adapter, credentialSource(tokens, clock));
    h.add('a.txt', 'b.txt', 'c.txt');

    const completion = h.nextCompletion();
    h.queue.start();
    await until(() => used.get('a.txt')?.length === 2, 'a.txt to ask again');
    cWaits.resolve();
    expect(await completion).to.deep.equal({ succeeded: 3, failed: 0, canceled: 0 });
    expect(Object.fromEntries(used)).to.deep.equal({
      'a.txt': ['token-1', 'token-2'],
      'b.txt': ['token-1'],
      'c.txt': ['token-2'],
    });
    expect(tokens.requests.map((request) => request.files.map((file) => file.name))).to.deep.equal([
      ['a.txt', 'b.txt', 'c.txt'],
      ['a.txt', 'c.txt'],
    ]);
  });

  it('cancels a file that waits for its credential: it ends canceled and its signal aborts, while the rest of the batch converts on the same token call', async () => {
    const clock = new Clock(T0);
    const tokens = numberedTokens(clock);
    tokens.gate = deferred();
    const acquireFailures = new Map<string, string>();
    const adapter = new TestAdapter(async (job) => {
      job.onPhase('authorizing');
      try {
        await job.acquireCredential();
      } catch (error) {
        acquireFailures.set(job.file.name, (error as ConvertError).code);
        throw error;
      }
      job.onPhase('uploading');
      job.onUploadProgress(1);
      return resultOf(job);
    });
    const h = new QueueHarness(adapter, credentialSource(tokens, clock));
    // a.txt asks first: its request is the token call the others wait on.
    const [a, b, c] = h.add('a.txt', 'b.txt', 'c.txt') as [string, string, string];

    const completion = h.nextCompletion();
    h.queue.start();
    await until(() => [a, b, c].every((id) => h.status(id) === 'authorizing'), 'every file to authorize');
    h.queue.cancel(a);
    expect(h.status(a)).to.equal('canceled');
    expect(adapter.job('a.txt').signal.aborted).to.be.true;
    expect(adapter.job('b.txt').signal.aborted).to.be.false;
    await until(() => acquireFailures.has('a.txt'), "a.txt's acquire to end");
    expect(acquireFailures.get('a.txt')).to.equal('canceled');

    tokens.gate.resolve();
    expect(await completion).to.deep.equal({ succeeded: 2, failed: 0, canceled: 1 });
    expect([h.status(a), h.status(b), h.status(c)]).to.deep.equal(['canceled', 'done', 'done']);
    expect(h.history.get(a)).to.deep.equal(['queued', 'authorizing', 'canceled']);
    expect(h.errors, 'a cancellation is no error').to.deep.equal([]);
    expect(h.successes).to.deep.equal([b, c]);
    expect(tokens.calls).to.equal(1);
  });

  it('puts a failed file back in the queue on retry(id) and converts it, with onComplete counting the outcomes', async () => {
    const clock = new Clock(T0);
    const tokens = numberedTokens(clock);
    const adapter = new TestAdapter(async (job, attempt) => {
      if (job.file.name === 'a.txt' && attempt === 1) {
        job.onPhase('uploading');
        throw new ConvertError('upload-failed', 'the connection dropped');
      }
      job.onPhase('authorizing');
      await job.acquireCredential();
      job.onPhase('uploading');
      job.onUploadProgress(1);
      return resultOf(job);
    });
    const h = new QueueHarness(adapter, credentialSource(tokens, clock));
    const [a, b] = h.add('a.txt', 'b.txt') as [string, string];

    const first = h.nextCompletion();
    h.queue.start();
    expect(await first).to.deep.equal({ succeeded: 1, failed: 1, canceled: 0 });
    expect(h.errors).to.deep.equal([{ id: a, code: 'upload-failed' }]);
    expect(h.item(a).error).to.deep.equal({
      code: 'upload-failed',
      message: 'visitor text for upload-failed',
      retryable: true,
    });

    const second = h.nextCompletion();
    h.queue.retry(a);
    expect(h.item(a).error, 'the error is gone once it is queued again').to.equal(undefined);
    // Summaries count every settled item of the queue, b.txt's earlier success included.
    expect(await second).to.deep.equal({ succeeded: 2, failed: 0, canceled: 0 });
    const item = h.item(a);
    expect(item.status).to.equal('done');
    expect(item.error).to.equal(undefined);
    expect(item.results).to.deep.equal(resultOf(adapter.job('a.txt')));
    expect(h.history.get(a)).to.deep.equal([
      'queued',
      'uploading',
      'error',
      'queued',
      'authorizing',
      'uploading',
      'done',
    ]);
    expect(h.status(b)).to.equal('done');
    expect(adapter.jobs.get('b.txt')).to.have.length(1);
    expect(h.summaries).to.have.length(2);
  });

  it('fails a file with token-provider-failed when the page’s tokenProvider throws, and converts it on retry', async () => {
    const clock = new Clock(T0);
    const tokens = new TokenScript((request, call) => {
      if (call === 1) throw new Error('the page lost its session');
      return convertApiAnswer(`token-${call}`, clock.ms + 600_000, request.files.length);
    });
    const adapter = new TestAdapter(async (job) => {
      job.onPhase('authorizing');
      await job.acquireCredential();
      return resultOf(job);
    });
    const h = new QueueHarness(adapter, credentialSource(tokens, clock));
    const [a] = h.add('a.txt') as [string];

    const first = h.nextCompletion();
    h.queue.start();
    expect(await first).to.deep.equal({ succeeded: 0, failed: 1, canceled: 0 });
    expect(h.errors).to.deep.equal([{ id: a, code: 'token-provider-failed' }]);
    expect(h.item(a).error).to.include({ code: 'token-provider-failed', retryable: true });

    const second = h.nextCompletion();
    h.queue.retry(a);
    expect(await second).to.deep.equal({ succeeded: 1, failed: 0, canceled: 0 });
    expect(tokens.calls).to.equal(2);
  });

  it('ends a file canceled without an error event when its provider reports the work canceled', async () => {
    const clock = new Clock(T0);
    const tokens = numberedTokens(clock);
    const adapter = new TestAdapter(async (job) => {
      job.onPhase('uploading');
      throw new ConvertError('canceled', 'the service canceled the task');
    });
    const h = new QueueHarness(adapter, credentialSource(tokens, clock));
    const [a] = h.add('a.txt') as [string];

    const completion = h.nextCompletion();
    h.queue.start();
    expect(await completion).to.deep.equal({ succeeded: 0, failed: 0, canceled: 1 });
    expect(h.status(a)).to.equal('canceled');
    expect(h.errors).to.deep.equal([]);
  });

  it('ignores the phases, progress and result a provider reports after its file was canceled', async () => {
    const clock = new Clock(T0);
    const tokens = numberedTokens(clock);
    const hold = deferred();
    const adapter = new TestAdapter(async (job) => {
      job.onPhase('authorizing');
      await hold.promise; // A provider that does not listen to its signal.
      job.onPhase('uploading');
      job.onUploadProgress(0.5);
      job.onConvertProgress(0.5);
      return resultOf(job);
    });
    const h = new QueueHarness(adapter, credentialSource(tokens, clock));
    const [a] = h.add('a.txt') as [string];

    const completion = h.nextCompletion();
    h.queue.start();
    await until(() => h.status(a) === 'authorizing', 'a.txt to authorize');
    h.queue.cancel(a);
    expect(await completion).to.deep.equal({ succeeded: 0, failed: 0, canceled: 1 });

    const changes = h.changes;
    hold.resolve();
    await until(() => h.changes > changes, 'the queue to take the late result');
    expect(h.item(a)).to.include({ status: 'canceled', uploadProgress: 0, convertProgress: null });
    expect(h.item(a).results).to.equal(undefined);
    expect(h.history.get(a)).to.deep.equal(['queued', 'authorizing', 'canceled']);
    expect(h.progress).to.deep.equal([]);
    expect(h.successes).to.deep.equal([]);
    expect(h.summaries).to.have.length(1);
  });

  it('keeps a done file done: later phases, progress, cancel and retry change nothing', async () => {
    const clock = new Clock(T0);
    const tokens = numberedTokens(clock);
    const adapter = new TestAdapter(async (job) => {
      job.onPhase('converting');
      job.onConvertProgress(0.3);
      return resultOf(job);
    });
    const h = new QueueHarness(adapter, credentialSource(tokens, clock));
    const [a] = h.add('a.txt') as [string];

    const completion = h.nextCompletion();
    h.queue.start();
    await completion;
    const done = h.item(a);
    expect(done).to.include({ status: 'done', uploadProgress: 1, convertProgress: 1 });

    const job = adapter.job('a.txt');
    job.onPhase('converting');
    job.onPhase('authorizing');
    job.onUploadProgress(0.5);
    job.onConvertProgress(null);
    h.queue.cancel(a);
    h.queue.retry(a);
    expect(h.item(a)).to.equal(done, 'the same snapshot: nothing changed');
    expect(h.progress).to.deep.equal([{ id: a, phase: 'convert', progress: 0.3 }]);
    expect(adapter.jobs.get('a.txt')).to.have.length(1);
    expect(h.summaries).to.have.length(1);
  });

  it('refuses a phase the status table forbids while the file is at work (converting → uploading), and takes the allowed ones', async () => {
    const clock = new Clock(T0);
    const tokens = numberedTokens(clock);
    const checked = deferred();
    const statuses: UploadStatus[] = [];
    const adapter = new TestAdapter(async (job) => {
      const status = () => h.queue.items[0]!.status;
      job.onPhase('converting');
      statuses.push(status());
      job.onPhase('uploading');
      statuses.push(status());
      job.onPhase('authorizing'); // A refused credential while converting: asking again is allowed.
      statuses.push(status());
      await checked.promise;
      return resultOf(job);
    });
    const h = new QueueHarness(adapter, credentialSource(tokens, clock));
    h.add('a.txt');

    const completion = h.nextCompletion();
    h.queue.start();
    await until(() => statuses.length === 3, 'the phases');
    expect(statuses).to.deep.equal(['converting', 'converting', 'authorizing']);
    checked.resolve();
    expect(await completion).to.deep.equal({ succeeded: 1, failed: 0, canceled: 0 });
  });

  it('canMove: phases follow each other in a provider’s order, done is final, only a failed or canceled file goes back to queued', () => {
    const legal: [UploadStatus, UploadStatus][] = [
      ['queued', 'authorizing'],
      ['queued', 'uploading'],
      ['uploading', 'authorizing'],
      ['authorizing', 'uploading'],
      ['converting', 'authorizing'],
      ['converting', 'done'],
      ['uploading', 'canceled'],
      ['authorizing', 'error'],
      ['error', 'queued'],
      ['canceled', 'queued'],
      ['done', 'done'],
    ];
    const illegal: [UploadStatus, UploadStatus][] = [
      ['converting', 'uploading'],
      ['done', 'queued'],
      ['done', 'error'],
      ['done', 'canceled'],
      ['done', 'converting'],
      ['canceled', 'uploading'],
      ['canceled', 'done'],
      ['error', 'done'],
      ['error', 'authorizing'],
      ['authorizing', 'queued'],
      ['uploading', 'queued'],
    ];
    expect(legal.filter(([from, to]) => !canMove(from, to))).to.deep.equal([]);
    expect(illegal.filter(([from, to]) => canMove(from, to))).to.deep.equal([]);
  });

  it('canMove: every pair of statuses follows the table of moves', () => {
    // Where a file may go from each status, besides staying where it is.
    const moves: Record<UploadStatus, UploadStatus[]> = {
      queued: ['authorizing', 'uploading', 'converting', 'done', 'error', 'canceled'],
      authorizing: ['uploading', 'converting', 'done', 'error', 'canceled'],
      uploading: ['authorizing', 'converting', 'done', 'error', 'canceled'],
      converting: ['authorizing', 'done', 'error', 'canceled'],
      done: [],
      error: ['queued'],
      canceled: ['queued'],
    };
    const statuses = Object.keys(moves) as UploadStatus[];
    const wrong = statuses.flatMap((from) =>
      statuses
        .filter((to) => canMove(from, to) !== (from === to || moves[from].includes(to)))
        .map((to) => `${from} → ${to}`),
    );
    expect(wrong).to.deep.equal([]);
  });
});

describe('upload queue snapshots', () => {
  expectNoPageErrors();

  it('reports the new error of a file that failed again after a retry, though nothing read the items between', async () => {
    const clock = new Clock(T0);
    const adapter = new TestAdapter(async (job, attempt) => {
      job.onPhase('uploading');
      throw attempt === 1
        ? new ConvertError('upload-failed', 'the connection dropped')
        : new ConvertError('network', 'offline');
    });
    const errors: string[] = [];
    const settled: Array<() => void> = [];
    const queue = new UploadQueue({
      callbacks: {
        onChange: () => undefined,
        onProgress: () => undefined,
        onSuccess: () => undefined,
        onError: (item, error) => {
          errors.push(`${item.error?.code ?? 'none'}/${error.code}`);
          settled.shift()?.();
        },
        onComplete: () => undefined,
      },
      credentials: () => credentialSource(numberedTokens(clock), clock),
      adapter: () => adapter,
      settings: () => ({ provider: 'convertapi', to: 'pdf', concurrency: 1, parameters: {} }),
      messageFor: (error) => error.code,
    });
    const failed = () => new Promise<void>((resolve) => settled.push(resolve));
    const [item] = queue.add([new File(['a'], 'a.txt')]);
    const first = failed();
    queue.start();
    await first;
    const second = failed();
    queue.retry(item?.id);
    await second;
    expect(errors).to.deep.equal(['upload-failed/upload-failed', 'network/network']);
    expect(queue.items[0]?.error?.code).to.equal('network');
  });
});
