import { FetchFailedError, NotLoopbackError, fetchAllowed, isLoopbackUrl } from '../loopback.js';
import { archiveFiles, convertFiles, mergeFiles } from './conversion-operations.js';
import {
  TaskFailure,
  storeFile,
  stringField,
  type OperationContext,
  type OperationOutcome,
} from './operation-kit.js';
import type { TaskFile } from './model.js';

export { TaskFailure, stringField } from './operation-kit.js';
export type { OperationContext, OperationOutcome } from './operation-kit.js';

/** Runs one task's operation (everything except import/upload, which the storage host completes). */
export async function runOperation(context: OperationContext): Promise<OperationOutcome> {
  switch (context.task.operation) {
    case 'import/url':
      return importUrl(context);
    case 'import/base64':
      return importBytes(context, Buffer.from(stringField(context.task.payload, 'file'), 'base64'));
    case 'import/raw':
      return importBytes(context, Buffer.from(stringField(context.task.payload, 'file'), 'utf8'));
    case 'convert':
      return convertFiles(context);
    case 'merge':
      return mergeFiles(context);
    case 'archive':
      return archiveFiles(context);
    case 'export/url':
      return Promise.resolve(exportUrls(context));
    default:
      throw new TaskFailure('INVALID_OPERATION', `The operation ${context.task.operation} is not available`);
  }
}

/** Import results list `filename` and `md5` (sandbox, 2020) and `size` (production, 2022). */
function importResult(file: TaskFile): Record<string, unknown> {
  return { files: [{ filename: file.filename, size: file.size, md5: file.md5 }] };
}

async function importBytes(context: OperationContext, data: Buffer): Promise<OperationOutcome> {
  const file = await storeFile(context.store, data, stringField(context.task.payload, 'filename'));
  return { files: [file], result: importResult(file), credits: 0 };
}

/**
 * `import/url`: the sandbox has no network beyond the loopback, so it fetches only its own hosts and
 * URLs on the loopback (a page a test serves on 127.0.0.1); any other fails with `DOWNLOAD_FAILED`,
 * the code third-party sources cite (docs/cloudconvert.md §7.3, unconfirmed), saying why.
 */
async function importUrl(context: OperationContext): Promise<OperationOutcome> {
  const { payload } = context.task;
  let url: URL;
  try {
    url = new URL(String(payload['url']));
  } catch {
    throw new TaskFailure('INVALID_URL', 'The URL is invalid');
  }
  const headers = isStringRecord(payload['headers']) ? payload['headers'] : {};
  const fetched = await fetchAllowed(url, {
    headers,
    allowed: (candidate) => context.isOwnUrl(candidate) || isLoopbackUrl(candidate),
  }).catch((error: unknown) => {
    if (error instanceof NotLoopbackError)
      throw new TaskFailure('DOWNLOAD_FAILED', `Could not download ${error.url.host}: ${error.message}`);
    if (error instanceof FetchFailedError)
      throw new TaskFailure('DOWNLOAD_FAILED', `Could not download the file: ${error.message}`);
    throw error;
  });
  const filename = stringField(payload, 'filename') || fetched.filename || 'file';
  const file = await storeFile(context.store, fetched.data, filename, fetched.contentType);
  return { files: [file], result: importResult(file), credits: 0 };
}

function exportUrls(context: OperationContext): OperationOutcome {
  const { payload } = context.task;
  if (payload['archive_multiple_files'] === true && context.inputs.length > 1) {
    throw new TaskFailure('UNSUPPORTED_OPTION', 'archive_multiple_files is not emulated by the sandbox');
  }
  const inline = payload['inline'] === true;
  const files = context.inputs.map((file) => ({ ...file }));
  const entries = files.map((file) => context.storage.publish(context.task.id, file, inline));
  return { files, result: { files: entries }, credits: 0 };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === 'string')
  );
}
