import { basename } from 'node:path';
import { contentDispositionFilename } from '../body.js';
import {
  ConversionFailedError,
  UnsupportedConversionError,
  canConvert,
  convert,
} from '../conversions/index.js';
import { contentTypeFor, formatOfFileName, normalizeFormat } from '../conversions/formats.js';
import type { FileStore } from '../file-store.js';
import { md5OfBuffer } from './md5.js';
import type { TaskFile, TaskRecord } from './model.js';
import type { Storage } from './storage.js';

/** A task ending in `error` with this code and message (docs/cloudconvert.md §7.3). */
export class TaskFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TaskFailure';
  }
}

/** What an operation needs besides its task. */
export interface OperationContext {
  task: TaskRecord;
  /** Files of the input tasks, in the order of `depends_on_task_ids`. */
  inputs: TaskFile[];
  store: FileStore;
  storage: Storage;
  /** True for URLs this sandbox serves itself; nothing else can be fetched (no external network). */
  isOwnUrl: (url: URL) => boolean;
}

/** A finished operation: the files it holds, its `result` and the credits it cost. */
export interface OperationOutcome {
  files: TaskFile[];
  result: Record<string, unknown>;
  credits: number;
}

/** Payload keys of a convert task that are not engine options (docs/cloudconvert.md §6.1). */
const CONVERT_KEYS = new Set([
  'operation',
  'input',
  'input_format',
  'output_format',
  'engine',
  'engine_version',
  'filename',
  'timeout',
  'ignore_error',
]);
const MAX_REDIRECTS = 5;

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
    case 'export/url':
      return Promise.resolve(exportUrls(context));
    default:
      throw new TaskFailure('INVALID_OPERATION', `The operation ${context.task.operation} is not available`);
  }
}

async function storeFile(
  store: FileStore,
  data: Buffer,
  filename: string,
  contentType?: string,
): Promise<TaskFile> {
  const type = contentType ?? contentTypeFor(formatOfFileName(filename));
  const stored = await store.putBuffer(data, filename, { contentType: type });
  return { filename, size: data.length, md5: md5OfBuffer(data), storedId: stored.id, contentType: type };
}

/** Import results list `filename` and `md5` (sandbox, 2020) and `size` (production, 2022). */
function importResult(file: TaskFile): Record<string, unknown> {
  return { files: [{ filename: file.filename, size: file.size, md5: file.md5 }] };
}

async function importBytes(context: OperationContext, data: Buffer): Promise<OperationOutcome> {
  const file = await storeFile(context.store, data, stringField(context.task.payload, 'filename'));
  return { files: [file], result: importResult(file), credits: 0 };
}

async function importUrl(context: OperationContext): Promise<OperationOutcome> {
  const { payload } = context.task;
  let url: URL;
  try {
    url = new URL(String(payload['url']));
  } catch {
    throw new TaskFailure('INVALID_URL', 'The URL is invalid');
  }
  const headers = isStringRecord(payload['headers']) ? payload['headers'] : {};
  let response: Response | undefined;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (!context.isOwnUrl(url)) {
      // The sandbox has no external network; the code is one third-party sources cite (docs/cloudconvert.md §7.3, unconfirmed).
      throw new TaskFailure(
        'DOWNLOAD_FAILED',
        `Could not download ${url.host}: the sandbox only imports URLs on its own hosts`,
      );
    }
    response = await fetch(url, { headers, redirect: 'manual' }).catch((error: unknown) => {
      throw new TaskFailure('DOWNLOAD_FAILED', `Could not download the file: ${String(error)}`);
    });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) break;
    await response.body?.cancel();
    url = new URL(location, url);
  }
  if (!response || !response.ok) {
    throw new TaskFailure(
      'DOWNLOAD_FAILED',
      `Could not download the file: HTTP ${response?.status ?? 'redirect loop'}`,
    );
  }
  const data = Buffer.from(await response.arrayBuffer());
  const filename =
    (typeof payload['filename'] === 'string' && payload['filename']) ||
    contentDispositionFilename(response.headers.get('content-disposition') ?? undefined) ||
    basename(decodeURIComponent(url.pathname)) ||
    'file';
  const contentType = response.headers.get('content-type')?.split(';')[0]?.trim() || undefined;
  const file = await storeFile(context.store, data, filename, contentType);
  return { files: [file], result: importResult(file), credits: 0 };
}

async function convertFiles(context: OperationContext): Promise<OperationOutcome> {
  const { payload } = context.task;
  const to = normalizeFormat(stringField(payload, 'output_format'));
  const options = Object.fromEntries(Object.entries(payload).filter(([key]) => !CONVERT_KEYS.has(key)));
  if (context.inputs.length === 0)
    throw new TaskFailure('NO_INPUT_FILES', 'The input tasks provided no files');
  const outputs: TaskFile[] = [];
  for (const input of context.inputs) {
    const from = normalizeFormat(
      typeof payload['input_format'] === 'string'
        ? payload['input_format']
        : formatOfFileName(input.filename),
    );
    // Real CloudConvert reports unsupported pairs on the task (code seen in a real-sandbox test, docs/cloudconvert.md §7.3).
    if (!canConvert(from, to)) {
      throw new TaskFailure(
        'INVALID_CONVERSION_TYPE',
        `Converting ${from || 'this file'} to ${to} is not supported`,
      );
    }
    const data = await context.store.read(input.storedId);
    try {
      for (const output of await convert({ data, name: input.filename, from }, to, options)) {
        outputs.push(await storeFile(context.store, output.data, output.name, output.contentType));
      }
    } catch (error) {
      if (error instanceof UnsupportedConversionError) {
        throw new TaskFailure('INVALID_CONVERSION_TYPE', `Converting ${from} to ${to} is not supported`);
      }
      if (error instanceof ConversionFailedError) throw new TaskFailure('CONVERSION_FAILED', error.message);
      throw error;
    }
  }
  const requestedName = stringField(payload, 'filename');
  const [onlyOutput, ...otherOutputs] = outputs;
  if (requestedName && onlyOutput && otherOutputs.length === 0) onlyOutput.filename = requestedName;
  return {
    files: outputs,
    result: { files: outputs.map((file) => ({ filename: file.filename, size: file.size })) },
    credits: 1,
  };
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

/** A payload field as a string; '' when absent or not a string (validation already checked it). */
export function stringField(payload: Record<string, unknown>, name: string): string {
  const value = payload[name];
  return typeof value === 'string' ? value : '';
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((entry) => typeof entry === 'string')
  );
}
