import { secureUrl } from '../contract/url-policy.js';
import { abortable } from '../engine/abortable.js';
import { ConvertError } from '../engine/errors.js';
import type { Credential } from '../engine/credential-guard.js';
import { isCloudConvertServerJob, type CloudConvertServerJob } from './cloudconvert-credential.js';
import { request } from '../engine/transport.js';
import type { CredentialLease } from '../engine/credential-source.js';
import type { AccessTokenJobs } from './cloudconvert-access.js';
import { JobFollower } from './cloudconvert-follow.js';
import {
  type BatchJob,
  exchangeWithCloudConvert,
  type ExportedOriginal,
  exportedUrl,
  isFresh,
} from './cloudconvert-job.js';
import {
  type TaskSnapshot,
  chainState,
  parseJob,
  parseJobAnswer,
  parseUploadForm,
  pickChain,
} from './cloudconvert-parse.js';
import { type UploadOutcome, uploadToForm } from './cloudconvert-upload.js';
import type { FileConversion, ConversionResult, ProviderAdapter } from '../engine/provider-port.js';

/** CloudConvert's api host, and its sandbox's (the `sandbox` attribute). */
export const cloudConvertApiBase = 'https://api.cloudconvert.com/v2';
export const cloudConvertSandboxApiBase = 'https://api.sandbox.cloudconvert.com/v2';

/** How long the import task may stay waiting after a blind (no-cors) upload before the file counts as lost. */
const blindUploadGraceMs = 30_000;

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
  /** Access-token mode's code, loaded when the first access token comes. */
  #accessTokenJobs: Promise<AccessTokenJobs> | undefined;
  #loadedAccessTokenJobs: AccessTokenJobs | undefined;
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

  async convert(job: FileConversion): Promise<ConversionResult[]> {
    job.onPhase('authorizing');
    const lease = await job.acquireCredential();
    try {
      const serverJob = isCloudConvertServerJob(lease.credential) ? lease.credential : undefined;
      const batchJob = serverJob
        ? this.#serverJob(serverJob)
        : await abortable(this.#accessJob(job, lease), job.signal);
      // A server job's chains follow the files of the token request that made it; ours, the batch.
      const index = serverJob ? lease.position : job.batch.index;
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
      if (batchJob.waitOnSync && outcome === 'confirmed') {
        const results = await batchJob.waitOnSync(job, index, chain);
        // The original's export is not read here: its URL is read if the file is converted again.
        this.#offer(job, chain.original);
        return results;
      }
      return await this.#poll(job, index, batchJob, outcome);
    } finally {
      this.#loadedAccessTokenJobs?.release(job);
    }
  }

  #serverJob(credential: CloudConvertServerJob): BatchJob {
    let batchJob = this.#serverJobs.get(credential);
    if (!batchJob) {
      const { statusUrl } = credential;
      batchJob = {
        created: parseJob(credential.job),
        follower: new JobFollower(async (signal) =>
          parseJobAnswer(
            await exchangeWithCloudConvert(
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

  /** The batch's job in access-token mode, whose code is loaded on first use. */
  async #accessJob(job: FileConversion, lease: CredentialLease): Promise<BatchJob> {
    this.#accessTokenJobs ??= import('./cloudconvert-access.js').then(
      ({ AccessTokenJobs }) => (this.#loadedAccessTokenJobs = new AccessTokenJobs(this.#api, this.#sync)),
      (error: unknown) => {
        this.#accessTokenJobs = undefined;
        throw new ConvertError('network', 'The conversion code could not be loaded.', { cause: error });
      },
    );
    return (await this.#accessTokenJobs).jobFor(job, lease);
  }

  /**
   * Hands the queue the export of the file's original, so that converting it again imports it
   * instead of uploading it again (jobs of older server kits have none: the file is uploaded again).
   */
  #offer(job: FileConversion, original: TaskSnapshot | undefined): void {
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
    job: FileConversion,
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
}
