import type { RejectionCode } from '../engine/restrictions.js';
import type { ConversionResult, ErrorInfo, UploadItem } from '../engine/types.js';

/** Names of the events `<convert-uploader>` dispatches; the one place they are spelled. */
export const ConvertEvents = {
  added: 'convert-added',
  rejected: 'convert-rejected',
  progress: 'convert-progress',
  success: 'convert-success',
  error: 'convert-error',
  complete: 'convert-complete',
} as const;

/** `convert-added`: files passed the restrictions and were queued. */
export interface ConvertAddedDetail {
  items: readonly UploadItem[];
}

/** `convert-rejected`: a file failed a restriction and was not queued. */
export interface ConvertRejectedDetail {
  file: { name: string; size: number; type: string };
  code: RejectionCode;
}

/** `convert-progress`: at most once per animation frame per item. */
export interface ConvertProgressDetail {
  item: UploadItem;
  phase: 'upload' | 'convert';
  /** 0..1, or null while the service reports no conversion progress. */
  progress: number | null;
}

/** `convert-success`: one file converted. */
export interface ConvertSuccessDetail {
  item: UploadItem;
  results: readonly ConversionResult[];
}

/** `convert-error`: a file (or, with `item: null`, the token endpoint) failed. */
export interface ConvertErrorDetail {
  item: UploadItem | null;
  error: ErrorInfo;
}

/** `convert-complete`: the queue drained. */
export interface ConvertCompleteDetail {
  succeeded: number;
  failed: number;
  canceled: number;
}

export type ConvertAddedEvent = CustomEvent<ConvertAddedDetail>;
export type ConvertRejectedEvent = CustomEvent<ConvertRejectedDetail>;
export type ConvertProgressEvent = CustomEvent<ConvertProgressDetail>;
export type ConvertSuccessEvent = CustomEvent<ConvertSuccessDetail>;
export type ConvertErrorEvent = CustomEvent<ConvertErrorDetail>;
export type ConvertCompleteEvent = CustomEvent<ConvertCompleteDetail>;

/** Creates an event as every `<convert-uploader>` event is: bubbling and crossing shadow roots. */
export function createConvertEvent<T>(name: string, detail: T): CustomEvent<T> {
  return new CustomEvent<T>(name, { detail, bubbles: true, composed: true });
}

declare global {
  interface HTMLElementEventMap {
    'convert-added': ConvertAddedEvent;
    'convert-rejected': ConvertRejectedEvent;
    'convert-progress': ConvertProgressEvent;
    'convert-success': ConvertSuccessEvent;
    'convert-error': ConvertErrorEvent;
    'convert-complete': ConvertCompleteEvent;
  }
}
