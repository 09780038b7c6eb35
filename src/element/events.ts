import type { UploadItem } from './types.js';

/** Names of the events `<convert-uploader>` dispatches; the one place they are spelled. */
export const ConvertEvents = {
  added: 'convert-added',
} as const;

/** `detail` of `convert-added`: the files that passed the restrictions and were queued. */
export interface ConvertAddedDetail {
  items: readonly UploadItem[];
}

export type ConvertAddedEvent = CustomEvent<ConvertAddedDetail>;

/** Creates an event as every `<convert-uploader>` event is: bubbling and crossing shadow roots. */
export function createConvertEvent<T>(name: string, detail: T): CustomEvent<T> {
  return new CustomEvent<T>(name, { detail, bubbles: true, composed: true });
}

declare global {
  interface HTMLElementEventMap {
    'convert-added': ConvertAddedEvent;
  }
}
