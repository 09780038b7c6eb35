import type { UploadStatus } from './types.js';

/**
 * Whether a file may move from `from` to `to` (staying where it is always may). A provider reports its phases
 * in its own order (ConvertAPI uploads before it asks for a credential, CloudConvert after; ConvertAPI asks
 * again after a refused credential), so a pending file may take any phase or outcome, except that a file being
 * converted does not go back to uploading; `done` is final (a conversion again is a new item), and a failed or
 * canceled file goes back to `queued` only when it is tried again.
 */
export function canMove(from: UploadStatus, to: UploadStatus): boolean {
  if (from === to) return true;
  if (to === 'queued') return from === 'error' || from === 'canceled';
  return isPending(from) && !(from === 'converting' && to === 'uploading');
}

/** A provider is at work on the file: asking for a credential, uploading or converting. */
export function isWorking(status: UploadStatus): boolean {
  return status === 'authorizing' || status === 'uploading' || status === 'converting';
}

/** The file is not finished: waiting to start or at work (a form is not complete while one is). */
export function isPending(status: UploadStatus): boolean {
  return status === 'queued' || isWorking(status);
}

/** The file's outcome is known: converted, failed or canceled. */
export function isSettled(status: UploadStatus): boolean {
  return !isPending(status);
}
