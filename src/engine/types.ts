import type { ProviderName } from '../contract/token-request.js';
import type { ErrorInfo } from './errors.js';
import type { ConversionResult } from './provider-port.js';

export type { ConversionResult, ErrorInfo };

/** The services the element can convert with. */
export type Provider = ProviderName;

/** Where a file is in its journey. */
export type UploadStatus =
  'queued' | 'authorizing' | 'uploading' | 'converting' | 'done' | 'error' | 'canceled';

/** One file in the element's queue, as exposed to the page (a snapshot, never live state). */
export interface UploadItem {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly type: string;
  readonly status: UploadStatus;
  /** 0..1 */
  readonly uploadProgress: number;
  /** 0..1, or null while the service reports no progress. */
  readonly convertProgress: number | null;
  readonly results?: readonly ConversionResult[];
  readonly error?: ErrorInfo;
}
