import {
  ConversionFailedError,
  ConversionTimeoutError,
  UnsupportedConversionError,
  type ConversionInput,
  type ConversionOutput,
} from '../conversions/index.js';
import { formatOfFileName, normalizeFormat, replaceExtension } from '../conversions/formats.js';
import type { TaskFile } from './model.js';
import {
  TaskFailure,
  storeFile,
  stringField,
  type OperationContext,
  type OperationOutcome,
} from './operation-kit.js';

/** Payload keys of convert, merge and archive tasks that are not engine options (docs/cloudconvert.md §6.1). */
const TASK_KEYS = new Set([
  'operation',
  'input',
  'input_format',
  'output_format',
  'engine',
  'engine_version',
  'filename',
  'ignore_error',
]);

/**
 * `convert`: each input file to `output_format`. A pair the sandbox cannot do fails the task with
 * `INVALID_CONVERSION_TYPE`, as real CloudConvert reports it on the task, not on job creation
 * (docs/cloudconvert.md §7.3). A PDF to PNG or JPG gives one file per page.
 */
export async function convertFiles(context: OperationContext): Promise<OperationOutcome> {
  const { payload } = context.task;
  const to = normalizeFormat(stringField(payload, 'output_format'));
  const outputs: TaskFile[] = [];
  for (const input of requireInputs(context)) {
    const from = inputFormat(context, input);
    if (!context.conversions.canConvert(from, to)) throw invalidConversion(from, to);
    const data = await context.store.read(input.storedId);
    for (const output of await run(() =>
      context.conversions.convert({ data, name: input.filename, from }, to, options(context)),
    )) {
      outputs.push(await storeFile(context.store, output.data, output.name, output.contentType));
    }
  }
  const requestedName = stringField(payload, 'filename');
  const [onlyOutput, ...otherOutputs] = outputs;
  if (requestedName && onlyOutput && otherOutputs.length === 0) onlyOutput.filename = requestedName;
  return outcome(outputs);
}

/**
 * `merge` (docs/cloudconvert.md §6.2): the input files, in order, as one PDF. Inputs that are not PDFs
 * are converted to PDF first where the sandbox can (CloudConvert's operation takes any input it can
 * turn into a PDF); `output_format` must be `pdf`.
 */
export async function mergeFiles(context: OperationContext): Promise<OperationOutcome> {
  const to = normalizeFormat(stringField(context.task.payload, 'output_format'));
  const inputs = requireInputs(context);
  if (to !== 'pdf') throw invalidConversion('merge', to);
  const pdfs: ConversionInput[] = [];
  for (const input of inputs) {
    const from = inputFormat(context, input);
    const data = await context.store.read(input.storedId);
    if (from === 'pdf') {
      pdfs.push({ data, name: input.filename, from });
      continue;
    }
    if (!context.conversions.canConvert(from, 'pdf')) throw invalidConversion(from, 'pdf');
    const converted = await run(() =>
      context.conversions.convert({ data, name: input.filename, from }, 'pdf', options(context)),
    );
    pdfs.push(...converted.map((output) => ({ data: output.data, name: output.name, from: 'pdf' })));
  }
  const merged = await run(() => context.conversions.mergePdfs(pdfs, outputName(context, inputs, 'pdf')));
  return outcome([await storeFile(context.store, merged.data, merged.name, merged.contentType)]);
}

/**
 * `archive` (docs/cloudconvert.md §6.2): the input files in one ZIP. The real operation also writes
 * rar, 7z and tar archives; the sandbox fails those with `INVALID_CONVERSION_TYPE`, as it does any
 * pair it cannot convert.
 */
export async function archiveFiles(context: OperationContext): Promise<OperationOutcome> {
  const to = normalizeFormat(stringField(context.task.payload, 'output_format'));
  const inputs = requireInputs(context);
  if (to !== 'zip') throw invalidConversion('archive', to);
  const files: ConversionInput[] = [];
  for (const input of inputs) {
    files.push({
      data: await context.store.read(input.storedId),
      name: input.filename,
      from: inputFormat(context, input),
    });
  }
  const zip = await context.conversions.zip(files, outputName(context, inputs, 'zip'));
  return outcome([await storeFile(context.store, zip.data, zip.name, zip.contentType)]);
}

function requireInputs(context: OperationContext): TaskFile[] {
  if (context.inputs.length === 0)
    throw new TaskFailure('NO_INPUT_FILES', 'The input tasks provided no files');
  return context.inputs;
}

/** `input_format` when given, else the file's extension (docs/cloudconvert.md §6.1). */
function inputFormat(context: OperationContext, input: TaskFile): string {
  const given = stringField(context.task.payload, 'input_format');
  return normalizeFormat(given || formatOfFileName(input.filename));
}

/** Engine options: the payload's other keys (`timeout` included: it also limits external engines). */
function options(context: OperationContext): Record<string, unknown> {
  return Object.fromEntries(Object.entries(context.task.payload).filter(([key]) => !TASK_KEYS.has(key)));
}

/** `filename` when given; else, [?] as the real default is unrecorded, the first input's name. */
function outputName(context: OperationContext, inputs: TaskFile[], ext: string): string {
  return (
    stringField(context.task.payload, 'filename') || replaceExtension(inputs[0]?.filename ?? 'file', ext)
  );
}

function invalidConversion(from: string, to: string): TaskFailure {
  return new TaskFailure(
    'INVALID_CONVERSION_TYPE',
    `Converting ${from || 'this file'} to ${to} is not supported`,
  );
}

/**
 * Runs a conversion and turns its errors into task failures: `TIMEOUT` and `CONVERSION_FAILED` are
 * the codes third-party code names (docs/cloudconvert.md §7.3, unconfirmed).
 */
async function run<T extends ConversionOutput | ConversionOutput[]>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UnsupportedConversionError) throw invalidConversion(error.from, error.to);
    if (error instanceof ConversionTimeoutError) throw new TaskFailure('TIMEOUT', error.message);
    if (error instanceof ConversionFailedError) throw new TaskFailure('CONVERSION_FAILED', error.message);
    throw error;
  }
}

function outcome(files: TaskFile[]): OperationOutcome {
  return {
    files,
    result: { files: files.map((file) => ({ filename: file.filename, size: file.size })) },
    credits: 1,
  };
}
