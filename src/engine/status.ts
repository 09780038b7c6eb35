import type { UploadStatus } from './types.js';

/**
 * Where a file may go from each status. A provider reports its phases in its own order (ConvertAPI uploads
 * before it asks for a credential, CloudConvert after; ConvertAPI asks again after a refused credential), so
 * the phases may follow each other freely; `done` is final (a conversion again is a new item), and a failed or
 * canceled file goes back to `queued` only when it is tried again.
 */
const allowedMoves: Readonly<Record<UploadStatus, readonly UploadStatus[]>> = {
  queued: ['authorizing', 'uploading', 'converting', 'done', 'error', 'canceled'],
  authorizing: ['uploading', 'converting', 'done', 'error', 'canceled'],
  uploading: ['authorizing', 'converting', 'done', 'error', 'canceled'],
  converting: ['authorizing', 'done', 'error', 'canceled'],
  done: [],
  error: ['queued'],
  canceled: ['queued'],
};

/** Whether a file may move from `from` to `to` (staying where it is always may). */
export function canMove(from: UploadStatus, to: UploadStatus): boolean {
  return from === to || allowedMoves[from].includes(to);
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
