import { taskNamesForFile } from '../contract/cloudconvert-task-names.js';
import { isRecord, parseJsonObject } from '../contract/guards.js';
import { secureUrl } from '../contract/url-policy.js';
import { ConvertError } from '../engine/errors.js';
import { type HttpAnswer, retryAfterMs } from '../engine/transport.js';
import type { ConversionResult } from '../engine/provider-port.js';

// Pure readers of CloudConvert's answers (api host, sync host, and the server kit's job views). They
// read only the fields they need, bound every size, and refuse anything else with `invalid-response`.

export type TaskStatus = 'waiting' | 'processing' | 'finished' | 'error';

/** A task as the element needs it. */
export interface TaskSnapshot {
  id: string;
  name: string;
  operation: string;
  status: TaskStatus;
  /** 0..100 as reported, or null when absent. */
  percent: number | null;
  code: string | null;
  message: string | null;
  result: unknown;
}

export interface JobSnapshot {
  id: string;
  tasks: readonly TaskSnapshot[];
}

/** The three tasks that convert one file, and the export of its original when the job has one. */
export interface FileChain {
  /** `import/upload`, or `import/url` when the file is converted again from an earlier export. */
  upload: TaskSnapshot;
  convert: TaskSnapshot;
  export: TaskSnapshot;
  original: TaskSnapshot | undefined;
}

/** Where and how to POST a file: `fields` in order, then the file. */
export interface UploadForm {
  url: URL;
  fields: ReadonlyArray<readonly [string, string]>;
}

/** How one file's chain stands: still running (with convert progress), converted, or failed. */
export type ChainState =
  { results: ConversionResult[] } | { error: ConvertError } | { uploaded: boolean; progress: number | null };

/** A batch of up to 1,000 files: three tasks each, and room for retries CloudConvert may add. */
const maxTasks = 5000;
const maxFiles = 100;
/** CloudConvert deletes results 24 hours after the job ends. */
const retentionMs = 24 * 60 * 60 * 1000;
const statuses: readonly string[] = ['waiting', 'processing', 'finished', 'error'] satisfies TaskStatus[];

/** Refuses an answer: `what` names the unusable part, for developers. */
function invalid(what: string): never {
  throw new ConvertError('invalid-response', `CloudConvert answered an unusable ${what}.`);
}

function text(record: Record<string, unknown>, field: string, max: number): string {
  const value = record[field];
  if (typeof value !== 'string' || value === '' || value.length > max) invalid(field);
  return value;
}

/** An optional string field: null when absent or not a string (tolerated), cut to `max`. */
function optionalText(record: Record<string, unknown>, field: string, max: number): string | null {
  const value = record[field];
  return typeof value === 'string' ? value.slice(0, max) : null;
}

/** Reads one task; `name` may be absent on standalone tasks (the sync host's task answer). */
export function parseTask(value: unknown): TaskSnapshot {
  if (!isRecord(value)) invalid('task');
  // `queued` appears only in the Node SDK's types (unconfirmed): read as waiting.
  const status = value['status'] === 'queued' ? 'waiting' : text(value, 'status', 16);
  if (!statuses.includes(status)) invalid('status');
  const percent = value['percent'];
  return {
    id: text(value, 'id', 200),
    name: optionalText(value, 'name', 200) ?? '',
    operation: text(value, 'operation', 100),
    status: status as TaskStatus,
    percent:
      typeof percent === 'number' && Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : null,
    code: optionalText(value, 'code', 100),
    message: optionalText(value, 'message', 300),
    result: value['result'],
  };
}

/** Reads a job object (`{ id, tasks: [...] }`). */
export function parseJob(value: unknown): JobSnapshot {
  if (!isRecord(value)) invalid('job');
  const tasks = value['tasks'];
  if (!Array.isArray(tasks) || tasks.length > maxTasks) invalid('tasks');
  return { id: text(value, 'id', 200), tasks: tasks.map(parseTask) };
}

/** Unwraps a job from CloudConvert's `{ data }` envelope or the server kit's `{ job }`. */
export function parseJobAnswer(body: unknown): JobSnapshot {
  if (!isRecord(body)) invalid('job');
  return parseJob(Object.hasOwn(body, 'data') ? body['data'] : body['job']);
}

/** Unwraps a task from CloudConvert's `{ data }` envelope. */
export function parseTaskAnswer(body: unknown): TaskSnapshot {
  return parseTask(isRecord(body) ? body['data'] : undefined);
}

/**
 * File `index`'s tasks in `job`; refuses a job whose chain is missing, doubled or of other operations.
 * The original's export is optional (jobs of older server kits lack it).
 */
export function pickChain(job: JobSnapshot, index: number): FileChain {
  const names = taskNamesForFile(index);
  const find = (name: string, operation: RegExp): TaskSnapshot => {
    const found = job.tasks.filter((task) => task.name === name);
    const [task, ...others] = found;
    if (!task || others.length > 0 || !operation.test(task.operation)) invalid(name);
    return task;
  };
  return {
    upload: find(names.import, /^import\/(upload|url)$/),
    convert: find(names.convert, /^convert$/),
    export: find(names.export, /^export\/url$/),
    original: job.tasks.find((task) => task.name === names.original && task.operation === 'export/url'),
  };
}

/** The upload form of an `import/upload` task: an https (or loopback) URL and string fields. */
export function parseUploadForm(task: TaskSnapshot): UploadForm {
  const form = isRecord(task.result) ? task.result['form'] : undefined;
  if (!isRecord(form) || !isRecord(form['parameters'])) invalid('form');
  const url = secureUrl(text(form, 'url', 8192));
  if (!url) invalid('form url');
  const entries = Object.entries(form['parameters']);
  if (entries.length > 100) invalid('form');
  const fields = entries.map(([name, value]): [string, string] => {
    const ok = (typeof value === 'string' && value.length <= 16_384) || Number.isFinite(value);
    if (!ok || name.length > 256) invalid(`form field ${name.slice(0, 40)}`);
    return [name, String(value)];
  });
  // The file goes last, under its own name; a field of that name would make S3 refuse the form.
  return { url, fields: fields.filter(([name]) => name.toLowerCase() !== 'file') };
}

/** The converted files of a finished `export/url` task. */
export function parseExportFiles(task: TaskSnapshot, to: string, now = Date.now()): ConversionResult[] {
  const files = isRecord(task.result) ? task.result['files'] : undefined;
  if (!Array.isArray(files) || files.length === 0 || files.length > maxFiles) invalid('files');
  return files.map((file: unknown) => {
    if (!isRecord(file)) invalid('file');
    const url = secureUrl(text(file, 'url', 8192));
    if (!url) invalid('file url');
    const size = file['size'];
    return {
      name: text(file, 'filename', 255),
      url: url.href,
      size: typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : undefined,
      format: to.toLowerCase(),
      expiresAt: new Date(now + retentionMs).toISOString(),
    };
  });
}

/** The error a failed task stands for; `INVALID_CONVERSION_TYPE` and `CREDITS_EXCEEDED` are final. */
export function taskError(task: TaskSnapshot, step: 'upload' | 'convert'): ConvertError {
  const code =
    task.code === 'INVALID_CONVERSION_TYPE'
      ? 'conversion-unsupported'
      : task.code === 'CREDITS_EXCEEDED'
        ? 'quota-exceeded'
        : step === 'upload'
          ? 'upload-failed'
          : 'conversion-failed';
  return new ConvertError(
    code,
    `CloudConvert's ${task.operation} task failed: ${task.message ?? task.code ?? 'no reason given'}.`,
    {
      providerCode: task.code ?? undefined,
      retryable: code !== 'conversion-unsupported' && code !== 'quota-exceeded',
    },
  );
}

/**
 * Where a file's chain stands. A failure is the chain's first own failure: `INPUT_TASK_FAILED` only
 * echoes an earlier task's, so the file reports the task that failed first.
 */
export function chainState(chain: FileChain, to: string, now = Date.now()): ChainState {
  const tasks = [chain.upload, chain.convert, chain.export].filter((task) => task.status === 'error');
  const failed = tasks.find((task) => task.code !== 'INPUT_TASK_FAILED') ?? tasks[0];
  if (failed) return { error: taskError(failed, failed === chain.upload ? 'upload' : 'convert') };
  if (chain.export.status === 'finished') return { results: parseExportFiles(chain.export, to, now) };
  const { status, percent } = chain.convert;
  return {
    uploaded: chain.upload.status === 'finished',
    progress: status === 'finished' ? 1 : status === 'processing' && percent !== null ? percent / 100 : null,
  };
}

/**
 * Maps an error answer of the api or sync host, or of the host's status route, to a ConvertError:
 * 401/403 `unauthorized`, 402 or `CREDITS_EXCEEDED` `quota-exceeded`, 429 `rate-limited` (with
 * `Retry-After`), 422 `conversion-unsupported` when it names a format or conversion type, else
 * `conversion-failed` (5xx stay transient).
 */
export function answerError(answer: HttpAnswer): ConvertError {
  const record = parseJsonObject(answer.text) ?? {};
  const providerCode = optionalText(record, 'code', 100) ?? undefined;
  const message = optionalText(record, 'message', 300);
  const { status } = answer;
  const said = `${providerCode ?? ''} ${message ?? ''} ${JSON.stringify(record['errors'] ?? '').slice(0, 1000)}`;
  const code =
    status === 401 || status === 403
      ? 'unauthorized'
      : status === 402 || providerCode === 'CREDITS_EXCEEDED'
        ? 'quota-exceeded'
        : status === 429
          ? 'rate-limited'
          : status === 422 && /conversion.?type|format|not supported|unsupported/i.test(said)
            ? 'conversion-unsupported'
            : 'conversion-failed';
  return new ConvertError(code, `CloudConvert answered ${status}${message ? `: ${message}` : ''}.`, {
    status,
    providerCode,
    retryAfterMs: retryAfterMs(answer.headers),
    retryable: !['unauthorized', 'quota-exceeded', 'conversion-unsupported'].includes(code) && status !== 422,
  });
}
