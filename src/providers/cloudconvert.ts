import type { CredentialLease } from '../core/credential-source.js';
import { ConvertError } from '../core/errors.js';
import { formatOf } from '../core/queue.js';
import { sleep, withRetry } from '../core/retry.js';
import type { Credential } from '../core/token-types.js';
import { type HttpAnswer, parseJson, request } from '../core/transport.js';
import { secureUrl } from '../core/url-policy.js';
import { JobFollower, abortable } from './cloudconvert-follow.js';
import {
  type FileChain,
  type JobSnapshot,
  type TaskSnapshot,
  answerError,
  chainNames,
  chainState,
  parseExportFiles,
  parseJob,
  parseJobAnswer,
  parseTaskAnswer,
  parseUploadForm,
  pickChain,
  taskError,
} from './cloudconvert-parse.js';
import { type UploadOutcome, uploadToForm } from './cloudconvert-upload.js';
import type { ConversionJob, ConversionResult, ProviderAdapter } from './provider.js';

/** CloudConvert's api host, and its sandbox's (the `sandbox` attribute). */
export const cloudConvertApiBase = 'https://api.cloudconvert.com/v2';
export const cloudConvertSandboxApiBase = 'https://api.sandbox.cloudconvert.com/v2';

/** How long the import task may stay waiting after a blind (no-cors) upload before the file counts as lost. */
const blindUploadGraceMs = 30_000;
/** A sync-host wait is repeated after this long; the host's own limit is unknown (cloudconvert.md §1). */
const syncWaitMs = 120_000;
/** Batches whose job is kept for files that have yet to start; the oldest is forgotten beyond. */
const maxBatches = 20;
/** An earlier export is imported again only while it outlives the new job's import by this much. */
const reuseMarginMs = 10 * 60 * 1000;

/**
 * What a CloudConvert conversion leaves for converting the same file again: the export of the
 * original file (task `original-<i>`), which a new job imports (`import/url`) instead of an upload.
 * `url` is known once the export finished; otherwise the task is read when needed (access-token
 * mode). `tokenFields` is what the file's description to the token endpoint adds (server-job mode).
 */
interface ExportedOriginal {
  kind: 'cloudconvert-original';
  api: string;
  task: string;
  url: string | undefined;
  expiresAt: number;
  readonly tokenFields: { importUrl: string } | undefined;
}

const isFresh = (handle: ExportedOriginal) => handle.expiresAt - reuseMarginMs > Date.now();

/** The URL of an export task's (first) file; undefined while it has none. */
function exportedUrl(task: TaskSnapshot): string | undefined {
  try {
    return parseExportFiles(task, '')[0]?.url;
  } catch {
    return undefined;
  }
}

export interface CloudConvertOptions {
  /** The api host (access-token mode); defaults to CloudConvert's, or its sandbox's with `sandbox`. */
  apiBase?: string;
  /** When set, each file waits on this host instead of polling the job (access-token mode). */
  syncBase?: string;
  sandbox?: boolean;
  /** Credentials mode of the server-job status route, which belongs to the host (as its token endpoint). */
  statusCredentials?: RequestCredentials;
}

function baseUrl(url: string): string {
  const parsed = secureUrl(url);
  if (!parsed)
    throw new ConvertError('token-rejected', 'CloudConvert hosts must be https (or http on loopback).');
  return parsed.href.replace(/\/+$/, '');
}

function tokenRejected(): never {
  throw new ConvertError(
    'token-rejected',
    'The token endpoint answered with a credential for another service.',
    {
      retryable: false,
    },
  );
}

/** Runs `send` with retries of transient failures; a non-2xx answer becomes its ConvertError. */
function exchange(send: () => Promise<HttpAnswer>, signal?: AbortSignal): Promise<unknown> {
  return withRetry(async () => {
    const answer = await send();
    if (answer.status < 200 || answer.status >= 300) throw answerError(answer);
    return parseJson(answer);
  }, signal && { signal });
}

/**
 * Access-token mode: sends a batch's requests with the current access token, taken through any of
 * the batch's files that is still at work. A refused token is dropped and the request replayed
 * once with a fresh one; a second refusal is `unauthorized`.
 */
class BearerAuth {
  readonly files = new Set<ConversionJob>();

  async #token(): Promise<{ lease: CredentialLease; token: string }> {
    const file = [...this.files].find((candidate) => !candidate.signal.aborted);
    if (!file) throw new ConvertError('canceled', 'No file needs this job any more.');
    const lease = await file.acquireCredential();
    const { credential } = lease;
    if (credential.kind !== 'cloudconvert-access-token') tokenRejected();
    return { lease, token: credential.secretValue };
  }

  send(url: string, signal?: AbortSignal, body?: unknown, timeoutMs?: number): Promise<unknown> {
    return exchange(async () => {
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

/** One batch's job, as its files share it. */
interface BatchJob {
  created: JobSnapshot;
  follower: JobFollower;
  /** Access-token mode only. */
  auth?: BearerAuth;
}

/**
 * The job request for a batch: per file `import/upload` → `convert` → `export/url`, named by its
 * place, and an `export/url` of the original. The file creating the job imports its earlier export
 * instead (`import/url`) when `reuse` is given; its batch-mates' own handles are not known here, so they upload.
 */
function jobRequest(job: ConversionJob, reuse: string | undefined): unknown {
  const tasks: Record<string, Record<string, unknown>> = {};
  job.batch.files.forEach((file, index) => {
    const names = chainNames(index);
    const dot = file.name.lastIndexOf('.');
    tasks[names.upload] =
      reuse && index === job.batch.index
        ? { operation: 'import/url', url: reuse, filename: file.name }
        : { operation: 'import/upload' };
    tasks[names.original] = { operation: 'export/url', input: names.upload };
    tasks[names.convert] = {
      ...job.parameters,
      operation: 'convert',
      input: names.upload,
      // Each file converts from its own extension; `from` covers files without one.
      input_format: index === job.batch.index ? job.from : formatOf(file.name) || job.from,
      output_format: job.to,
      filename: `${dot > 0 ? file.name.slice(0, dot) : file.name}.${job.to}`,
    };
    tasks[names.export] = { operation: 'export/url', input: names.convert };
  });
  return { tag: 'convert-uploader', tasks };
}

/**
 * CloudConvert, in both ways a host can run it. Access-token mode: the first file of a batch
 * creates one job for the whole batch with the access token; server-job mode: the credential is
 * the batch's job, created by the host, followed through its status route. Either way each file
 * uploads to its own import task's form and its outcome is read from its own task chain only.
 */
export class CloudConvertProvider implements ProviderAdapter {
  readonly #api: string;
  readonly #sync: string | undefined;
  readonly #statusCredentials: RequestCredentials;
  readonly #batches = new Map<string, { job: Promise<BatchJob>; auth: BearerAuth; settled: number }>();
  readonly #serverJobs = new WeakMap<Credential, BatchJob>();
  readonly #corsRefused = new Set<string>();

  constructor(options: CloudConvertOptions = {}) {
    this.#api = baseUrl(
      options.apiBase ?? (options.sandbox ? cloudConvertSandboxApiBase : cloudConvertApiBase),
    );
    this.#sync = options.syncBase ? baseUrl(options.syncBase) : undefined;
    this.#statusCredentials = options.statusCredentials ?? 'same-origin';
  }

  /**
   * Output formats of `GET {api}/convert/formats?filter[input_format]=…` (public, no credential),
   * cached per input format; undefined when the catalogue cannot be read.
   */
  targets(from: string, signal?: AbortSignal): Promise<readonly string[] | undefined> {
    return import('./catalogue.js').then(
      (catalogue) => catalogue.cloudConvertTargets(this.#api, from, signal),
      () => undefined,
    );
  }

  async convert(job: ConversionJob): Promise<ConversionResult[]> {
    job.onPhase('authorizing');
    const lease = await job.acquireCredential();
    try {
      const batchJob =
        lease.credential.kind === 'cloudconvert-job'
          ? this.#serverJob(lease.credential)
          : await abortable(this.#accessJob(job, lease), job.signal);
      // A server job's chains follow the files of the token request that made it; ours, the batch.
      const index = lease.credential.kind === 'cloudconvert-job' ? lease.position : job.batch.index;
      const chain = pickChain(batchJob.created, index);
      // An `import/url` task fetches an earlier export: nothing to upload.
      let outcome: UploadOutcome = 'confirmed';
      if (chain.upload.operation === 'import/upload') {
        const form = parseUploadForm(chain.upload);
        job.onPhase('uploading');
        outcome = await uploadToForm(
          form,
          job.file,
          job.signal,
          (fraction) => {
            job.onUploadProgress(fraction);
          },
          this.#corsRefused,
        );
      }
      job.onUploadProgress(1);
      job.onPhase('converting');
      job.onConvertProgress(null);
      // A blind upload is confirmed by the import task's status, which only the job shows.
      return this.#sync && batchJob.auth && outcome === 'confirmed'
        ? await this.#waitOnSync(job, index, batchJob, batchJob.auth, chain)
        : await this.#poll(job, index, batchJob, outcome);
    } finally {
      this.#release(job);
    }
  }

  #serverJob(credential: Extract<Credential, { kind: 'cloudconvert-job' }>): BatchJob {
    let batchJob = this.#serverJobs.get(credential);
    if (!batchJob) {
      const { statusUrl } = credential;
      batchJob = {
        created: parseJob(credential.job),
        follower: new JobFollower(async (signal) =>
          parseJobAnswer(
            await exchange(
              () =>
                request(statusUrl, {
                  headers: { accept: 'application/json' },
                  credentials: this.#statusCredentials,
                  signal,
                }),
              signal,
            ),
          ),
        ),
      };
      this.#serverJobs.set(credential, batchJob);
    }
    return batchJob;
  }

  /** The batch's job, created by the first of its files to get here; the others wait for the same one. */
  #accessJob(job: ConversionJob, lease: CredentialLease): Promise<BatchJob> {
    if (lease.credential.kind !== 'cloudconvert-access-token') tokenRejected();
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
            auth,
            follower: new JobFollower(async (signal) => parseJobAnswer(await auth.send(url, signal))),
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
  #release(job: ConversionJob): void {
    const entry = this.#batches.get(job.batch.id);
    entry?.auth.files.delete(job);
    if (entry && ++entry.settled >= job.batch.files.length) this.#batches.delete(job.batch.id);
  }

  /**
   * The earlier export the file creating a job imports: from its handle when that is ours (same api
   * host) and fresh, else none and the file is uploaded.
   */
  async #importUrl(job: ConversionJob, auth: BearerAuth): Promise<string | undefined> {
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
   * Hands the queue the export of the file's original, so that converting it again imports it
   * instead of uploading it again (jobs of older server kits have none: the file is uploaded again).
   */
  #offer(job: ConversionJob, original: TaskSnapshot | undefined): void {
    if (!original) return;
    const handle: ExportedOriginal = {
      kind: 'cloudconvert-original',
      api: this.#api,
      task: original.id,
      url: exportedUrl(original),
      // CloudConvert deletes a job's files 24 hours after it ends.
      expiresAt: Date.now() + 24 * 60 * 60 * 1000,
      get tokenFields() {
        return this.url && isFresh(this) ? { importUrl: this.url } : undefined;
      },
    };
    job.onReusable?.(handle);
  }

  #poll(
    job: ConversionJob,
    index: number,
    batchJob: BatchJob,
    outcome: UploadOutcome,
  ): Promise<ConversionResult[]> {
    const sentAt = Date.now();
    return batchJob.follower.follow(job.signal, (snapshot) => {
      const chain = pickChain(snapshot, index);
      const state = chainState(chain, job.to);
      if ('results' in state) {
        this.#offer(job, chain.original);
        return state.results;
      }
      if ('error' in state) throw state.error;
      if (state.progress !== null) job.onConvertProgress(state.progress);
      if (outcome === 'unconfirmed' && !state.uploaded && Date.now() - sentAt > blindUploadGraceMs) {
        throw new ConvertError('upload-failed', 'CloudConvert did not receive the file.');
      }
      return undefined;
    });
  }

  /**
   * Waits on the sync host for the file's own export task (not the job, which would also wait for
   * every batch-mate); when it fails, one read of the job tells which task of the chain failed first.
   */
  async #waitOnSync(
    job: ConversionJob,
    index: number,
    batchJob: BatchJob,
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
      if (task.status === 'finished') {
        // The original's export is not read here: its URL is read if the file is converted again.
        this.#offer(job, chain.original);
        return parseExportFiles(task, job.to);
      }
      if (task.status !== 'error') {
        await sleep(1000, job.signal);
        continue;
      }
      const jobUrl = `${this.#api}/jobs/${encodeURIComponent(batchJob.created.id)}`;
      const state = chainState(pickChain(parseJobAnswer(await auth.send(jobUrl, job.signal)), index), job.to);
      throw 'error' in state ? state.error : taskError(task, 'convert');
    }
  }
}
