import { integerOption } from './config-checks.js';

/** Default number of files per batch. */
export const DEFAULT_MAX_FILES = 25;
/** Default largest file, in bytes (100 MiB). */
export const DEFAULT_MAX_FILE_SIZE = 100 * 1024 * 1024;

/** The validated `maxFiles` and `maxFileSize` options. */
export function batchLimits(options: { maxFiles?: number; maxFileSize?: number }): {
  maxFiles: number;
  maxFileSize: number;
} {
  return {
    maxFiles: integerOption(options.maxFiles, 'maxFiles', DEFAULT_MAX_FILES, 1, 1000),
    maxFileSize: integerOption(
      options.maxFileSize,
      'maxFileSize',
      DEFAULT_MAX_FILE_SIZE,
      1,
      Number.MAX_SAFE_INTEGER,
    ),
  };
}
