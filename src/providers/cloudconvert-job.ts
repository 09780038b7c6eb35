import { exchange } from '../engine/retry.js';
import type { HttpAnswer } from '../engine/transport.js';
import type { JobFollower } from './cloudconvert-follow.js';
import {
  type FileChain,
  type JobSnapshot,
  type TaskSnapshot,
  answerError,
  parseExportFiles,
} from './cloudconvert-parse.js';
import type { FileConversion, ConversionResult } from '../engine/provider-port.js';

/** An earlier export is imported again only while it outlives the new job's import by this much. */
const reuseMarginMs = 10 * 60 * 1000;

/** One batch's job, as its files share it, in either mode. */
export interface BatchJob {
  created: JobSnapshot;
  follower: JobFollower;
  /** Access-token mode with a sync host: waits there for one file's export task. */
  waitOnSync?: (job: FileConversion, index: number, chain: FileChain) => Promise<ConversionResult[]>;
}

/**
 * What a CloudConvert conversion leaves for converting the same file again: the export of the
 * original file (task `original-<i>`), which a new job imports (`import/url`) instead of an upload.
 * `url` is known once the export finished; otherwise the task is read when needed (access-token
 * mode). `tokenFields` is what the file's description to the token endpoint adds (server-job mode).
 */
export interface ExportedOriginal {
  kind: 'cloudconvert-original';
  api: string;
  task: string;
  url: string | undefined;
  expiresAt: number;
  readonly tokenFields: { importUrl: string } | undefined;
}

export const isFresh = (handle: ExportedOriginal) => handle.expiresAt - reuseMarginMs > Date.now();

/** The URL of an export task's (first) file; undefined while it has none. */
export function exportedUrl(task: TaskSnapshot): string | undefined {
  try {
    return parseExportFiles(task, '')[0]?.url;
  } catch {
    return undefined;
  }
}

/** Sends a CloudConvert request with retries of transient failures; an error answer becomes its ConvertError. */
export function exchangeWithCloudConvert(
  send: () => Promise<HttpAnswer>,
  signal?: AbortSignal,
): Promise<unknown> {
  return exchange(send, answerError, { signal });
}
