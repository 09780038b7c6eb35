import { type CloudConvertJobBody, cloudConvertJobBody } from '../contract/cloudconvert-job.js';
import type { CredentialLease } from '../engine/credential-source.js';
import { ConvertError } from '../engine/errors.js';
import { isCloudConvertAccessToken } from './cloudconvert-credential.js';
import { sleep } from '../engine/retry.js';
import { request } from '../engine/transport.js';
import {
  type BatchJob,
  exchangeWithCloudConvert,
  type ExportedOriginal,
  exportedUrl,
  isFresh,
} from './cloudconvert-job.js';
import { JobFollower } from './cloudconvert-follow.js';
import {
  type FileChain,
  type TaskSnapshot,
  chainState,
  parseExportFiles,
  parseJobAnswer,
  parseTaskAnswer,
  pickChain,
  taskError,
} from './cloudconvert-parse.js';
import type { FileConversion, ConversionResult } from '../engine/provider-port.js';

/** A sync-host wait is repeated after this long; the host's own limit is unknown (docs/cloudconvert.md §1). */
const syncWaitMs = 120_000;
/** Batches whose job is kept for files that have yet to start; the oldest is forgotten beyond. */
const maxBatches = 20;

function tokenRejected(): never {
  throw new ConvertError(
    'token-rejected',
    'The token endpoint answered with a credential for another service.',
  );
}

/**
 * Sends a batch's requests with the current access token, taken through any of the batch's files
 * that is still at work. A refused token is dropped and the request replayed once with a fresh
 * one; a second refusal is `unauthorized`.
 */
class BearerAuth {
  readonly files = new Set<FileConversion>();

  async #token(): Promise<{ lease: CredentialLease; token: string }> {
    const file = [...this.files].find((candidate) => !candidate.signal.aborted);
    if (!file) throw new ConvertError('canceled', 'No file needs this job any more.');
    const lease = await file.acquireCredential();
    const { credential } = lease;
    if (!isCloudConvertAccessToken(credential)) tokenRejected();
    return { lease, token: credential.secretValue };
  }

  send(url: string, signal?: AbortSignal, body?: unknown, timeoutMs?: number): Promise<unknown> {
    return exchangeWithCloudConvert(async () => {
      for (let attempt = 1; ; attempt += 1) {
        const { lease, token } = await this.#token();
        const answer = await request(url, {
          method: body === undefined ? 'GET' : 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? null : JSON.stringify(body),
          signal,
          timeoutMs,
        });
        if (answer.status === 401) lease.reject();
        if (answer.status !== 401 || attempt === 2) return answer;
      }
    }, signal);
  }
}

/**
 * The job for a batch, built as the server kit builds it: the file creating it imports its earlier
 * export (`import/url`) when `reuse` is given; its batch-mates' own handles are not known here, so
 * they upload.
 */
function jobRequest(job: FileConversion, reuse: string | undefined): CloudConvertJobBody {
  const { files, index } = job.batch;
  return cloudConvertJobBody(
    files.map((file, at) => (reuse && at === index ? { ...file, importUrl: reuse } : file)),
    job.to,
    'convert-uploader',
    job.parameters,
  );
}

/**
 * Access-token mode, loaded only by pages that use it (server-job mode is the default): the first
 * file of a batch creates one job for the whole batch with the access token; its batch-mates wait
 * for the same one. With a sync host, each file waits there for its own export task.
 */
export class AccessTokenJobs {
  readonly #api: string;
  readonly #sync: string | undefined;
  readonly #batches = new Map<string, { job: Promise<BatchJob>; auth: BearerAuth; settled: number }>();

  constructor(api: string, sync: string | undefined) {
    this.#api = api;
    this.#sync = sync;
  }

  /** The batch's job, created by the first of its files to get here. */
  jobFor(job: FileConversion, lease: CredentialLease): Promise<BatchJob> {
    if (!isCloudConvertAccessToken(lease.credential)) tokenRejected();
    const { id } = job.batch;
    let entry = this.#batches.get(id);
    if (!entry) {
      const auth = new BearerAuth();
      auth.files.add(job);
      // Not tied to this file's signal: its batch-mates wait on the same job.
      const created = this.#importUrl(job, auth)
        .then((reuse) => auth.send(`${this.#api}/jobs`, undefined, jobRequest(job, reuse)))
        .then((body): BatchJob => {
          const snapshot = parseJobAnswer(body);
          const url = `${this.#api}/jobs/${encodeURIComponent(snapshot.id)}`;
          return {
            created: snapshot,
            follower: new JobFollower(async (signal) => parseJobAnswer(await auth.send(url, signal))),
            waitOnSync: this.#sync
              ? (file, index, chain) => this.#waitOnSync(file, index, snapshot.id, auth, chain)
              : undefined,
          };
        });
      const added = { job: created, auth, settled: 0 };
      created.catch(() => {
        if (this.#batches.get(id) === added) this.#batches.delete(id);
      });
      this.#batches.set(id, (entry = added));
      if (this.#batches.size > maxBatches) this.#batches.delete(this.#batches.keys().next().value as string);
    }
    entry.auth.files.add(job);
    return entry.job;
  }

  /** Lets the batch's job go on without `job`, and forgets it once each of its files is through. */
  release(job: FileConversion): void {
    const entry = this.#batches.get(job.batch.id);
    entry?.auth.files.delete(job);
    if (entry && ++entry.settled >= job.batch.files.length) this.#batches.delete(job.batch.id);
  }

  /**
   * The earlier export the file creating a job imports: from its handle when that is ours (same api
   * host) and fresh, else none and the file is uploaded.
   */
  async #importUrl(job: FileConversion, auth: BearerAuth): Promise<string | undefined> {
    const handle = job.reuse as ExportedOriginal | undefined;
    if (handle?.kind !== 'cloudconvert-original' || handle.api !== this.#api || !isFresh(handle)) return;
    const url = `${this.#api}/tasks/${encodeURIComponent(handle.task)}`;
    try {
      return handle.url ?? exportedUrl(parseTaskAnswer(await auth.send(url)));
    } catch {
      return undefined;
    }
  }

  /**
   * Waits on the sync host for the file's own export task (not the job, which would also wait for
   * every batch-mate); when it fails, one read of the job tells which task of the chain failed first.
   */
  async #waitOnSync(
    job: FileConversion,
    index: number,
    jobId: string,
    auth: BearerAuth,
    chain: FileChain,
  ): Promise<ConversionResult[]> {
    const url = `${this.#sync}/tasks/${encodeURIComponent(chain.export.id)}`;
    for (;;) {
      let task: TaskSnapshot;
      try {
        task = parseTaskAnswer(await auth.send(url, job.signal, undefined, syncWaitMs));
      } catch (error) {
        if (error instanceof ConvertError && error.code === 'timeout' && !job.signal.aborted) continue;
        throw error;
      }
      if (task.status === 'finished') return parseExportFiles(task, job.to);
      if (task.status !== 'error') {
        await sleep(1000, job.signal);
        continue;
      }
      const jobUrl = `${this.#api}/jobs/${encodeURIComponent(jobId)}`;
      const state = chainState(pickChain(parseJobAnswer(await auth.send(jobUrl, job.signal)), index), job.to);
      throw 'error' in state ? state.error : taskError(task, 'convert');
    }
  }
}
