import type { ErrorCode } from '../../engine/errors.js';
import type { RejectionCode } from '../../engine/restrictions.js';
import type { UploadStatus } from '../../engine/types.js';

/**
 * English UI strings: the reference set every other language module mirrors (the type checker
 * holds them to the same keys). Functions take the values a sentence needs, already formatted.
 */
export const en = {
  dropzoneLabel: 'Files to convert',
  dropHint: 'Drop files here or',
  chooseFiles: 'Choose files',
  chooseFile: 'Choose a file',
  fileListLabel: 'Files',
  filesAdded: (count: number) => (count === 1 ? '1 file added' : `${count} files added`),
  status: {
    queued: 'Waiting',
    authorizing: 'Authorizing',
    uploading: 'Uploading',
    converting: 'Converting',
    done: 'Done',
    error: 'Failed',
    canceled: 'Canceled',
  } satisfies Record<UploadStatus, string>,
  uploadProgressLabel: (name: string) => `Upload of ${name}`,
  convertProgressLabel: (name: string) => `Conversion of ${name}`,
  resultsLabel: (name: string) => `Results of ${name}`,
  download: (name: string) => `Download ${name}`,
  previewOf: (name: string) => `Preview of ${name}`,
  expiresIn: (relativeTime: string) => `Link expires ${relativeTime}`,
  expired: 'Link expired',
  progressOf: (sent: string, total: string) => `${sent} of ${total}`,
  timeLeft: (duration: string) => `${duration} left`,
  open: 'Open',
  openFile: (name: string) => `Open ${name}`,
  batchLabel: 'All files',
  summary: (done: number, total: number) => `${done} of ${total} done`,
  failedCount: (count: number) => `${count} failed`,
  startFiles: (count: number) => (count === 1 ? 'Convert 1 file' : `Convert ${count} files`),
  retryFailed: 'Retry failed',
  cancelAll: 'Cancel all',
  clearFinished: 'Clear finished',
  filesRemoved: (count: number) => (count === 1 ? '1 file removed' : `${count} files removed`),
  cancel: 'Cancel',
  retry: 'Retry',
  remove: 'Remove',
  cancelFile: (name: string) => `Cancel ${name}`,
  retryFile: (name: string) => `Retry ${name}`,
  removeFile: (name: string) => `Remove ${name}`,
  formatPickerLabel: 'Convert to',
  convertAgainLabel: (name: string) => `Convert ${name} to another format`,
  convertAgain: 'Convert again',
  announcePhase: (name: string, status: string) => `${name}: ${status}`,
  rejectionsLabel: 'Files not added',
  dismiss: 'Dismiss',
  rejected: {
    'file-too-large': (limit: string) => `Larger than ${limit}.`,
    'file-type-not-accepted': () => 'This type of file is not accepted.',
    'too-many-files': (limit: string) => `No more than ${limit} files.`,
    'empty-file': () => 'The file is empty.',
  } satisfies Record<RejectionCode, (limit: string) => string>,
  valueMissing: 'Please add a file and wait until it is converted.',
  stillConverting: 'Please wait until the conversions finish.',
  errors: {
    'token-endpoint-failed': 'Could not get permission to convert. Please try again.',
    'token-provider-failed': 'Could not get permission to convert. Please try again.',
    'token-rejected': 'This site handed out a credential the uploader does not accept.',
    unauthorized: 'The conversion service refused the credential.',
    'upload-failed': 'The upload failed. Please try again.',
    'conversion-failed': 'The conversion failed. Please try again, or check that the file opens.',
    'conversion-unsupported':
      'This file cannot be converted to the chosen format. Pick another format or file.',
    'quota-exceeded': 'The conversion quota is used up. Please tell the site’s owner.',
    'rate-limited': 'The conversion service is busy. Please try again shortly.',
    network: 'The network connection failed. Check it and try again.',
    timeout: 'The service took too long to answer. Please try again.',
    canceled: 'Canceled.',
    'invalid-response': 'The conversion service sent an answer the uploader cannot read.',
  } satisfies Record<ErrorCode, string>,
};

export type UiStrings = typeof en;

/** Overrides of the UI strings: any entry, and any single entry of the nested maps. */
export type StringOverrides = {
  [Key in keyof UiStrings]?: UiStrings[Key] extends (...args: never[]) => string
    ? UiStrings[Key]
    : UiStrings[Key] extends object
      ? Partial<UiStrings[Key]>
      : UiStrings[Key];
};

/** `base` with `overrides` applied, the nested maps merged entry by entry. */
export function withOverrides(base: UiStrings, overrides: StringOverrides): UiStrings {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides) as [keyof UiStrings, unknown][]) {
    if (value === undefined) continue;
    const original = base[key];
    merged[key] =
      typeof original === 'object' && typeof value === 'object' && value !== null
        ? { ...original, ...value }
        : value;
  }
  return merged as UiStrings;
}
