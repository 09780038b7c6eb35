import { invalidData, type FieldErrors } from './errors.js';

/** Operations the sandbox runs (docs/cloudconvert.md §5, §6). */
export const EMULATED_OPERATIONS = [
  'import/upload',
  'import/url',
  'import/base64',
  'import/raw',
  'convert',
  'merge',
  'archive',
  'export/url',
];

/** Real operations the sandbox does not run (docs/cloudconvert.md §6.2); refused with a clear message. */
const OTHER_REAL_OPERATIONS = new Set([
  'import/s3',
  'import/azure/blob',
  'import/google-cloud-storage',
  'import/openstack',
  'import/sftp',
  'export/s3',
  'export/azure/blob',
  'export/google-cloud-storage',
  'export/openstack',
  'export/sftp',
  'optimize',
  'watermark',
  'capture-website',
  'thumbnail',
  'command',
  'metadata',
  'metadata/write',
]);

/** Task names allow letters, digits, `-` and `_` (docs/cloudconvert.md §4). */
const TASK_NAME = /^[A-Za-z0-9_-]+$/;

/** A task to create, checked but with its inputs not yet resolved to ids. */
export interface TaskSpec {
  name: string | null;
  operation: string;
  payload: Record<string, unknown>;
  /** Input task names (inside a job) or ids (standalone tasks), in the order given. */
  inputs: string[];
  ignoreError: boolean;
}

/** A checked `POST /v2/jobs` body. */
export interface JobSpec {
  tag: string | null;
  tasks: TaskSpec[];
}

/**
 * Checks a job body like the API's validator: Laravel-style messages keyed `tasks.<name>.<field>`
 * (docs/cloudconvert.md §7.2). Throws `ApiError` 422 `INVALID_DATA`.
 */
export function validateJob(body: unknown): JobSpec {
  const errors: FieldErrors = {};
  const data = isRecord(body) ? body : {};
  const tag = data['tag'];
  if (tag !== undefined && tag !== null && typeof tag !== 'string')
    errors['tag'] = ['The tag must be a string.'];
  const rawTasks = data['tasks'];
  if (
    rawTasks === undefined ||
    rawTasks === null ||
    (isRecord(rawTasks) && Object.keys(rawTasks).length === 0)
  ) {
    errors['tasks'] = ['The tasks field is required.'];
  } else if (!isRecord(rawTasks)) {
    errors['tasks'] = ['The tasks must be an array.'];
  }
  const tasks: TaskSpec[] = [];
  if (isRecord(rawTasks)) {
    const names = new Set(Object.keys(rawTasks));
    for (const [name, rawTask] of Object.entries(rawTasks)) {
      const prefix = `tasks.${name}`;
      if (!TASK_NAME.test(name)) {
        errors[prefix] = [`The task name ${name} may only contain letters, numbers, dashes and underscores.`];
        continue;
      }
      if (!isRecord(rawTask)) {
        errors[prefix] = [`The ${prefix} must be an array.`];
        continue;
      }
      const operation = rawTask['operation'];
      const spec = checkTask(
        typeof operation === 'string' ? operation : undefined,
        rawTask,
        `${prefix}.`,
        errors,
      );
      if (!spec) continue;
      for (const input of spec.inputs) {
        if (input === name || !names.has(input)) {
          errors[`${prefix}.input`] = [`The input task ${input} does not exist in this job.`];
        }
      }
      tasks.push({ ...spec, name });
    }
    if (Object.keys(errors).length === 0) checkAcyclic(tasks, errors);
  }
  if (Object.keys(errors).length > 0) throw invalidData(errors);
  return { tag: typeof tag === 'string' ? tag : null, tasks };
}

/**
 * Checks a standalone task body for `POST /v2/<operation>`; field names carry no prefix.
 * Throws `ApiError` 422 `INVALID_DATA`.
 */
export function validateStandaloneTask(operation: string, body: unknown): TaskSpec {
  const errors: FieldErrors = {};
  const spec = checkTask(operation, isRecord(body) ? { ...body, operation } : { operation }, '', errors);
  if (!spec || Object.keys(errors).length > 0) throw invalidData(errors);
  return { ...spec, name: null };
}

/** True for an operation the sandbox can create standalone at `POST /v2/<operation>`. */
export function isEmulatedOperation(operation: string): boolean {
  return EMULATED_OPERATIONS.includes(operation);
}

function checkTask(
  operation: string | undefined,
  payload: Record<string, unknown>,
  prefix: string,
  errors: FieldErrors,
): Omit<TaskSpec, 'name'> | undefined {
  const field = (name: string): string => `${prefix}${name}`;
  const required = (name: string): void => {
    const value = payload[name];
    if (value === undefined || value === null || value === '') {
      errors[field(name)] = [`The ${label(field(name))} field is required.`];
    } else if (typeof value !== 'string') {
      errors[field(name)] = [`The ${label(field(name))} must be a string.`];
    }
  };
  if (!operation) {
    errors[field('operation')] = [`The ${label(field('operation'))} field is required.`];
    return undefined;
  }
  if (!EMULATED_OPERATIONS.includes(operation)) {
    errors[field('operation')] = OTHER_REAL_OPERATIONS.has(operation)
      ? [`The operation ${operation} is not emulated by the sandbox.`]
      : [`The selected ${label(field('operation'))} is invalid.`];
    return undefined;
  }
  const inputs = inputList(payload['input']);
  const producesFiles = operation === 'convert' || operation === 'merge' || operation === 'archive';
  const needsInput = producesFiles || operation.startsWith('export/');
  if (needsInput && inputs === undefined) {
    errors[field('input')] = [`The ${label(field('input'))} field is required.`];
  } else if (needsInput && inputs?.length === 0) {
    errors[field('input')] = [`The ${label(field('input'))} field is required.`];
  }
  if (producesFiles) required('output_format');
  if (operation === 'import/url') {
    required('url');
    const url = payload['url'];
    if (typeof url === 'string' && url !== '' && !/^https?:\/\/[^\s/]+/i.test(url)) {
      errors[field('url')] = [`The ${label(field('url'))} format is invalid.`];
    }
  }
  if (operation === 'import/base64' || operation === 'import/raw') {
    required('file');
    required('filename');
  }
  for (const name of ['input_format', 'filename', 'engine', 'engine_version']) {
    const value = payload[name];
    if (value !== undefined && value !== null && typeof value !== 'string' && !errors[field(name)]) {
      errors[field(name)] = [`The ${label(field(name))} must be a string.`];
    }
  }
  return {
    operation,
    payload,
    inputs: needsInput ? (inputs ?? []) : [],
    ignoreError: payload['ignore_error'] === true,
  };
}

/** `input` is a name or a list of names (docs/cloudconvert.md §4); anything else is treated as absent. */
function inputList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value) && value.every((entry) => typeof entry === 'string')) return value;
  return undefined;
}

function checkAcyclic(tasks: TaskSpec[], errors: FieldErrors): void {
  const byName = new Map(tasks.map((task) => [task.name ?? '', task]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): boolean => {
    if (state.get(name) === 'done') return true;
    if (state.get(name) === 'visiting') return false;
    state.set(name, 'visiting');
    const ok = (byName.get(name)?.inputs ?? []).every(visit);
    state.set(name, 'done');
    return ok;
  };
  for (const task of tasks) {
    if (!visit(task.name ?? ''))
      errors[`tasks.${task.name}.input`] = ['The task dependencies contain a cycle.'];
  }
}

/** Laravel's attribute label: nested names stay dotted, top-level underscores become spaces. */
function label(name: string): string {
  return name.includes('.') ? name : name.replace(/_/g, ' ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
