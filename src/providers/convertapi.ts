import { isRecord, parseJsonObject } from '../contract/guards.js';
import { secureUrl } from '../contract/url-policy.js';
import type { CredentialLease } from '../engine/credential-source.js';
import { ConvertError, type ErrorCode } from '../engine/errors.js';
import { type HttpAnswer, request, retryAfterMs, upload } from '../engine/transport.js';
import { exchange } from '../engine/retry.js';
import { isConvertApiCredential } from './convertapi-credential.js';
import type { FileConversion, ConversionResult, ProviderAdapter } from '../engine/provider-port.js';

export const convertApiDefaultBase = 'https://v2.convertapi.com';

/** ConvertAPI keeps uploads and stored results for three hours. */
const retentionMs = 3 * 60 * 60 * 1000;
/** A reused upload must outlive the conversion that uses it. */
const reuseMarginMs = 10 * 60 * 1000;

/** What a ConvertAPI conversion leaves for converting the same file again: its upload. */
interface UploadedFile {
  kind: 'convertapi-upload';
  fileId: string;
  base: string;
  expiresAt: number;
}

function isReusableUpload(value: unknown, base: string, now: number): value is UploadedFile {
  if (!isRecord(value) || value['kind'] !== 'convertapi-upload' || value['base'] !== base) return false;
  return (
    typeof value['fileId'] === 'string' &&
    typeof value['expiresAt'] === 'number' &&
    value['expiresAt'] - reuseMarginMs > now
  );
}
const conversionTimeoutMs = 20 * 60 * 1000;

/** ConvertAPI's `Code`s that mean the credential itself was refused and a fresh one may pass. */
const refreshableCodes = new Set([4011, 4012]);

/**
 * What an error answer (`{Code, Message, InvalidParameters}`) says, for the developer message only: it is
 * called inside that message, so the CDN files, which empty the message, leave it out.
 */
function serviceDetail(body: Record<string, unknown> | undefined): string {
  const message = typeof body?.['Message'] === 'string' ? body['Message'].slice(0, 300) : undefined;
  const invalid = isRecord(body?.['InvalidParameters'])
    ? Object.entries(body['InvalidParameters'])
        .map(
          ([name, problems]) => `${name}: ${Array.isArray(problems) ? problems.join(' ') : String(problems)}`,
        )
        .join('; ')
        .slice(0, 300)
    : undefined;
  const detail = [message, invalid].filter(Boolean).join(' ');
  return detail ? `: ${detail}` : '';
}

function errorCodeFor(status: number, serviceCode: number | undefined): ErrorCode {
  if (status === 401) return serviceCode === 4014 ? 'quota-exceeded' : 'unauthorized';
  if (status === 402) return 'quota-exceeded';
  if (status === 429 || status === 503) return 'rate-limited';
  if (status === 404 || status === 415) return 'conversion-unsupported';
  if (serviceCode === 5000) return 'timeout';
  return 'conversion-failed';
}

/** Maps a ConvertAPI error answer (`{Code, Message, InvalidParameters}`) to a ConvertError. */
export function convertApiError(answer: HttpAnswer, step: 'upload' | 'convert'): ConvertError {
  const body = parseJsonObject(answer.text);
  const serviceCode = typeof body?.['Code'] === 'number' ? body['Code'] : undefined;
  const code =
    step === 'upload' && answer.status !== 429 && answer.status !== 503
      ? 'upload-failed'
      : errorCodeFor(answer.status, serviceCode);
  return new ConvertError(code, `ConvertAPI ${step} failed with ${answer.status}${serviceDetail(body)}.`, {
    status: answer.status,
    providerCode: serviceCode,
    retryAfterMs: retryAfterMs(answer.headers),
    retryable: code !== 'conversion-unsupported' && code !== 'quota-exceeded' && answer.status !== 400,
  });
}

function requireString(record: Record<string, unknown>, field: string): string {
  const value = record[field];
  if (typeof value !== 'string' || value === '') {
    throw new ConvertError('invalid-response', `ConvertAPI's answer lacks \`${field}\`.`);
  }
  return value;
}

/** Reads the result files of a conversion answer; refuses links that are not https (or loopback). */
export function parseConversionResults(body: unknown, to: string, now = Date.now()): ConversionResult[] {
  if (!isRecord(body) || !Array.isArray(body['Files']) || body['Files'].length === 0) {
    throw new ConvertError('invalid-response', 'ConvertAPI answered without result files.');
  }
  return body['Files'].map((entry: unknown) => {
    if (!isRecord(entry))
      throw new ConvertError('invalid-response', 'A ConvertAPI result file is not an object.');
    const url = secureUrl(requireString(entry, 'Url'));
    if (!url)
      throw new ConvertError('invalid-response', 'A ConvertAPI result link is neither https nor loopback.');
    const size = entry['FileSize'];
    const format = typeof entry['FileExt'] === 'string' && entry['FileExt'] ? entry['FileExt'] : to;
    const view = new URL(url);
    view.searchParams.set('download', 'inline');
    return {
      name: requireString(entry, 'FileName'),
      url: url.href,
      size: typeof size === 'number' && Number.isFinite(size) && size >= 0 ? size : undefined,
      format: format.toLowerCase(),
      expiresAt: new Date(now + retentionMs).toISOString(),
      viewUrl: view.href,
    };
  });
}

/**
 * ConvertAPI: the file goes to `/upload` (no credential, with progress), then
 * `/convert/{from}/to/{to}` with a Bearer credential fetched just before the call, and the
 * stored result files become the results.
 */
export class ConvertApiProvider implements ProviderAdapter {
  readonly #base: string;

  constructor(apiBase: string = convertApiDefaultBase) {
    const base = secureUrl(apiBase);
    if (!base)
      throw new ConvertError('token-rejected', 'The ConvertAPI base must be https (or http on loopback).');
    this.#base = base.href.replace(/\/+$/, '');
  }

  async convert(job: FileConversion): Promise<ConversionResult[]> {
    if (isReusableUpload(job.reuse, this.#base, Date.now())) {
      try {
        return await this.#convertUpload(job, job.reuse.fileId);
      } catch (error) {
        // The service lost the earlier upload (5009, invalid FileId): upload the file again.
        if (!(error instanceof ConvertError) || error.providerCode !== 5009) throw error;
      }
    }
    return this.#convertUpload(job, await this.#uploadOnce(job));
  }

  async #convertUpload(job: FileConversion, fileId: string): Promise<ConversionResult[]> {
    job.onUploadProgress(1);
    job.onPhase('authorizing');
    let lease = await job.acquireCredential();
    job.onPhase('converting');
    job.onConvertProgress(null);
    try {
      return await this.#convert(job, fileId, lease);
    } catch (error) {
      if (!(error instanceof ConvertError) || !refreshableCodes.has(Number(error.providerCode))) throw error;
      lease.reject();
      job.onPhase('authorizing');
      lease = await job.acquireCredential();
      job.onPhase('converting');
      return this.#convert(job, fileId, lease);
    }
  }

  /** Output formats of `/info/{from}/to/*` (cached; a 404 means none); undefined when unknown. */
  targets(from: string, signal?: AbortSignal): Promise<readonly string[] | undefined> {
    return import('./catalogue.js').then(
      (catalogue) => catalogue.convertApiTargets(this.#base, from, signal),
      () => undefined,
    );
  }

  async #uploadOnce(job: FileConversion): Promise<string> {
    job.onPhase('uploading');
    const fileId = await this.#upload(job);
    const handle: UploadedFile = {
      kind: 'convertapi-upload',
      fileId,
      base: this.#base,
      expiresAt: Date.now() + retentionMs,
    };
    job.onReusable?.(handle);
    return fileId;
  }

  async #upload(job: FileConversion): Promise<string> {
    const url = `${this.#base}/upload?filename=${encodeURIComponent(job.file.name)}`;
    const body = await exchange(
      () =>
        upload({
          url,
          body: job.file,
          headers: { accept: 'application/json' },
          signal: job.signal,
          onProgress: (loaded, total) => {
            job.onUploadProgress(total > 0 ? Math.min(1, loaded / total) : 0);
          },
        }),
      (answer) => convertApiError(answer, 'upload'),
      { signal: job.signal, retryNetworkErrors: true },
    );
    if (!isRecord(body))
      throw new ConvertError('invalid-response', 'ConvertAPI upload answered without a FileId.');
    return requireString(body, 'FileId');
  }

  async #convert(job: FileConversion, fileId: string, lease: CredentialLease): Promise<ConversionResult[]> {
    const { credential } = lease;
    if (!isConvertApiCredential(credential)) {
      throw new ConvertError(
        'token-rejected',
        'The token endpoint answered with a credential for another service.',
      );
    }
    const parameters = [
      { Name: 'File', FileValue: { Id: fileId } },
      { Name: 'StoreFile', Value: true },
      ...Object.entries(job.parameters)
        .filter(([name]) => !['file', 'files', 'storefile'].includes(name.toLowerCase()))
        .map(([Name, Value]) => ({ Name, Value })),
    ];
    const url = `${this.#base}/convert/${encodeURIComponent(job.from)}/to/${encodeURIComponent(job.to)}`;
    const body = await exchange(
      () =>
        request(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${credential.secretValue}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify({ Parameters: parameters }),
          signal: job.signal,
          timeoutMs: conversionTimeoutMs,
        }),
      (answer) => convertApiError(answer, 'convert'),
      { signal: job.signal },
    );
    return parseConversionResults(body, job.to);
  }
}
