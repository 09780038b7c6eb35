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

/** `convert-error`: a file failed (a token endpoint failure is reported on each file waiting for it). */
export interface ConvertErrorDetail {
  item: UploadItem;
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

/** Each event's name and the type of its `detail`. */
export interface ConvertEventDetails {
  'convert-added': ConvertAddedDetail;
  'convert-rejected': ConvertRejectedDetail;
  'convert-progress': ConvertProgressDetail;
  'convert-success': ConvertSuccessDetail;
  'convert-error': ConvertErrorDetail;
  'convert-complete': ConvertCompleteDetail;
}

/**
 * Dispatches one of the element's events from `host`, as every `<convert-uploader>` event is: bubbling and
 * crossing shadow roots. The name fixes the detail's type, so a wrong detail does not compile.
 */
export function emit<K extends keyof ConvertEventDetails>(
  host: EventTarget,
  name: K,
  detail: ConvertEventDetails[K],
): void {
  host.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
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
