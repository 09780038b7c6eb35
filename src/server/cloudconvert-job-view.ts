import { UpstreamError } from './errors.js';

/** The parts of a CloudConvert task the server kit reads. */
interface UpstreamTask {
  id: string;
  name: string;
  operation: string;
  status: string;
  percent?: unknown;
  code?: unknown;
  message?: unknown;
  result?: unknown;
}

/** The parts of a CloudConvert job the server kit reads. */
export interface UpstreamJob {
  readonly id: string;
  readonly tag: unknown;
  readonly status: string;
  readonly tasks: readonly UpstreamTask[];
}

/** An upload form as CloudConvert returns it in an `import/upload` task's `result.form`. */
export interface UploadForm {
  readonly url: string;
  readonly parameters: Readonly<Record<string, string>>;
}

/** A task as the browser sees it right after job creation. */
export interface UploadTaskView {
  readonly id: string;
  readonly name: string;
  readonly operation: string;
  readonly status: string;
  /** Only on `import/upload` tasks: where and how to upload. */
  readonly result?: { readonly form: UploadForm };
}

/** A task as the browser sees it when following the job. */
export interface StatusTaskView {
  readonly id: string;
  readonly name: string;
  readonly operation: string;
  readonly status: string;
  readonly percent: number | null;
  readonly code: string | null;
  readonly message: string | null;
  /** Only on finished `export/url` tasks: the converted files. */
  readonly result?: { readonly files: readonly { filename: string; size?: number; url: string }[] };
}

/** A job in CloudConvert's shape, reduced to what the browser needs. */
export interface JobView<Task> {
  readonly id: string;
  readonly status: string;
  readonly tasks: readonly Task[];
}

/** Reads `{ data: job }` from CloudConvert, refusing anything without the fields the kit relies on. */
export function parseJobEnvelope(body: unknown): UpstreamJob {
  const job = (body as { data?: unknown } | null)?.data as Partial<UpstreamJob> | undefined;
  const tasks = job?.tasks;
  if (
    typeof job?.id !== 'string' ||
    typeof job.status !== 'string' ||
    !Array.isArray(tasks) ||
    !tasks.every(
      (task: Partial<UpstreamTask> | null) =>
        typeof task?.id === 'string' &&
        typeof task.name === 'string' &&
        typeof task.operation === 'string' &&
        typeof task.status === 'string',
    )
  ) {
    throw new UpstreamError('CloudConvert answered a job in an unexpected shape.');
  }
  return job as UpstreamJob;
}

/** The job right after creation: ids, statuses and each `import/upload` task's form, nothing else. */
export function uploadView(job: UpstreamJob): JobView<UploadTaskView> {
  const tasks = job.tasks.map((task): UploadTaskView => {
    const base = { id: task.id, name: task.name, operation: task.operation, status: task.status };
    if (task.operation !== 'import/upload') return base;
    const form = uploadForm(task.result);
    if (form === undefined) throw new UpstreamError('CloudConvert answered an upload task without a form.');
    return { ...base, result: { form } };
  });
  return { id: job.id, status: job.status, tasks };
}

/** The job while it runs: statuses, percents, error codes and messages, and export files. */
export function statusView(job: UpstreamJob): JobView<StatusTaskView> {
  const tasks = job.tasks.map((task): StatusTaskView => {
    const view: StatusTaskView = {
      id: task.id,
      name: task.name,
      operation: task.operation,
      status: task.status,
      percent: typeof task.percent === 'number' ? task.percent : null,
      code: typeof task.code === 'string' ? task.code : null,
      message: typeof task.message === 'string' ? task.message : null,
    };
    const files = task.operation === 'export/url' ? exportFiles(task.result) : undefined;
    return files === undefined ? view : { ...view, result: { files } };
  });
  return { id: job.id, status: job.status, tasks };
}

function uploadForm(result: unknown): UploadForm | undefined {
  const form = (result as { form?: { url?: unknown; parameters?: unknown } } | null)?.form;
  if (typeof form?.url !== 'string' || typeof form.parameters !== 'object' || form.parameters === null)
    return undefined;
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(form.parameters)) {
    if (typeof value !== 'string' && typeof value !== 'number') return undefined;
    parameters[name] = String(value);
  }
  return { url: form.url, parameters };
}

function exportFiles(result: unknown): { filename: string; size?: number; url: string }[] | undefined {
  const files = (result as { files?: unknown } | null)?.files;
  if (!Array.isArray(files)) return undefined;
  return files.flatMap((file: { filename?: unknown; size?: unknown; url?: unknown } | null) =>
    typeof file?.filename === 'string' && typeof file.url === 'string'
      ? [
          {
            filename: file.filename,
            url: file.url,
            ...(typeof file.size === 'number' ? { size: file.size } : {}),
          },
        ]
      : [],
  );
}
