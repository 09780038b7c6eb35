import type { CredentialLease } from './credential-source.js';

/** One converted file, as the element shows and announces it. */
export interface ConversionResult {
  name: string;
  url: string;
  size?: number;
  format: string;
  /** ISO time after which the service deletes the file. */
  expiresAt?: string;
  /**
   * The same file shown in the browser rather than downloaded, where the service has such a link (ConvertAPI's
   * `?download=inline`; CloudConvert's export links are signed for download).
   */
  viewUrl?: string;
}

export type WorkPhase = 'authorizing' | 'uploading' | 'converting';

/** A file of a batch as a provider sees it: its name, and the format the queue found for it (`inputFormatOf`). */
export interface BatchFile {
  readonly name: string;
  readonly inputFormat: string;
}

/** Everything a provider needs to convert one file; the queue builds it. */
export interface FileConversion {
  readonly file: File;
  readonly from: string;
  readonly to: string;
  /** Options passed through to the service (ConvertAPI parameters, CloudConvert convert options). */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly signal: AbortSignal;
  /**
   * The files started together with this one, in order, and this file's place among them. They
   * share a token endpoint call, and a CloudConvert job holds one task chain per file, in this order.
   */
  readonly batch: { readonly id: string; readonly files: readonly BatchFile[]; readonly index: number };
  /**
   * What an earlier conversion of the same file left for reuse (see `onReusable`): a provider that
   * recognises it converts again without uploading again.
   */
  readonly reuse?: unknown;
  /**
   * Hands the queue a handle that lets a later conversion of this file skip the upload. The
   * handle's `tokenFields`, while defined, belong in the file's description to the token endpoint
   * (CloudConvert's `importUrl`: the host's job then imports the file instead of awaiting an upload).
   */
  onReusable?(handle: unknown): void;
  /** A credential for one request to the service, shared across the batch by the credential source. */
  acquireCredential(): Promise<CredentialLease>;
  onPhase(phase: WorkPhase): void;
  /** 0..1 of the file's bytes sent. */
  onUploadProgress(fraction: number): void;
  /** 0..1, or null while the service reports no progress. */
  onConvertProgress(fraction: number | null): void;
}

/** A conversion service behind one interface: the element and the queue know no other. */
export interface ProviderAdapter {
  convert(job: FileConversion): Promise<ConversionResult[]>;
  /**
   * The output formats the service offers for `from`, from its own catalogue (cached); undefined
   * when the catalogue cannot be read, which restricts nothing.
   */
  targets?(from: string, signal?: AbortSignal): Promise<readonly string[] | undefined>;
}
