import { taskNamesForFile } from './cloudconvert-task-names.js';

/** The body of CloudConvert's `POST /v2/jobs`. */
export interface CloudConvertJobBody {
  readonly tag: string;
  readonly tasks: Record<string, Record<string, unknown>>;
}

/** One file of a job, in the batch's order. */
export interface JobFile {
  readonly name: string;
  /** The format to convert from, as `inputFormatOf` tells it; `''` leaves it to CloudConvert. */
  readonly inputFormat: string;
  /** An earlier export of the file, imported (`import/url`) instead of an upload. */
  readonly importUrl?: string;
}

/** `name` with its extension replaced by `format`, or `format` added (`"report.docx"`, `"pdf"` → `"report.pdf"`). */
export function fileNameWithFormat(name: string, format: string): string {
  const dot = name.lastIndexOf('.');
  return `${dot > 0 ? name.slice(0, dot) : name}.${format}`;
}

/**
 * The job converting a batch, whether the server kit creates it (server-job mode) or the element does
 * (access-token mode): per file an `import/upload` → `convert` → `export/url` chain named by
 * `taskNamesForFile`, plus the `original` export. A file with an `importUrl` is imported from it
 * (`import/url`) instead of uploaded. The converted file keeps the file's name with the output format's
 * extension. `parameters` go into every `convert` task, under the fields the chain itself sets.
 */
export function cloudConvertJobBody(
  files: readonly JobFile[],
  to: string,
  tag: string,
  parameters: Readonly<Record<string, unknown>> = {},
): CloudConvertJobBody {
  const tasks: Record<string, Record<string, unknown>> = {};
  files.forEach((file, index) => {
    const names = taskNamesForFile(index);
    tasks[names.import] =
      file.importUrl === undefined
        ? { operation: 'import/upload' }
        : { operation: 'import/url', url: file.importUrl, filename: file.name };
    tasks[names.original] = { operation: 'export/url', input: names.import };
    tasks[names.convert] = {
      ...parameters,
      operation: 'convert',
      input: names.import,
      ...(file.inputFormat === '' ? {} : { input_format: file.inputFormat }),
      output_format: to,
      filename: fileNameWithFormat(file.name, to),
    };
    tasks[names.export] = { operation: 'export/url', input: names.convert };
  });
  return { tag, tasks };
}
