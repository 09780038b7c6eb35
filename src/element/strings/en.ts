import type { ErrorCode } from '../../core/errors.js';
import type { UploadStatus } from '../types.js';

/** English UI strings: the reference set every other language module mirrors. */
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
  cancel: 'Cancel',
  retry: 'Retry',
  remove: 'Remove',
  cancelFile: (name: string) => `Cancel ${name}`,
  retryFile: (name: string) => `Retry ${name}`,
  removeFile: (name: string) => `Remove ${name}`,
  announcePhase: (name: string, status: string) => `${name}: ${status}`,
  errors: {
    'token-endpoint-failed': 'Could not get permission to convert. Please try again.',
    'token-rejected': 'This site handed out a credential the uploader does not accept.',
    unauthorized: 'The conversion service refused the credential.',
    'file-too-large': 'The file is too large.',
    'file-type-not-accepted': 'This type of file is not accepted.',
    'too-many-files': 'Too many files.',
    'empty-file': 'The file is empty.',
    'upload-failed': 'The upload failed.',
    'conversion-failed': 'The conversion failed.',
    'conversion-unsupported': 'This file cannot be converted to the chosen format.',
    'quota-exceeded': 'The conversion quota is used up.',
    'rate-limited': 'The conversion service is busy. Please try again shortly.',
    network: 'The network connection failed.',
    timeout: 'The service took too long to answer.',
    canceled: 'Canceled.',
    'invalid-response': 'The conversion service sent an answer the uploader cannot read.',
  } satisfies Record<ErrorCode, string>,
};

export type UiStrings = typeof en;
