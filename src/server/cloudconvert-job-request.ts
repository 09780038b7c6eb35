import { fileExtension, fileNameWithFormat } from './file-name.js';
import type { TokenRequest } from './token-request.js';

/** The names of the tasks converting file number `index` of a batch; `original` exports the imported file. */
export function taskNamesForFile(
  index: number,
): Record<'import' | 'convert' | 'export' | 'original', string> {
  return {
    import: `import-${index}`,
    convert: `convert-${index}`,
    export: `export-${index}`,
    original: `original-${index}`,
  };
}

/**
 * The body of `POST /v2/jobs` for a batch: per file an `import/upload` → `convert` → `export/url` chain, named
 * `import-<i>`, `convert-<i>`, `export-<i>` after the file's position in the request, so the browser can map
 * tasks back to its files, and `original-<i>`, an `export/url` of the file itself, so that it can be converted
 * again later without a second upload: a file with an `importUrl` (such an earlier export) is imported from it
 * (`import/url`) instead of uploaded.
 */
export function jobRequestBody(
  batch: TokenRequest,
  tag: string,
): { tag: string; tasks: Record<string, Record<string, unknown>> } {
  const tasks: Record<string, Record<string, unknown>> = {};
  batch.files.forEach((file, index) => {
    const names = taskNamesForFile(index);
    // Each file converts from its own extension; `from` covers files that have none.
    const inputFormat = fileExtension(file.name) || (batch.from ?? '');
    tasks[names.import] =
      file.importUrl === undefined
        ? { operation: 'import/upload' }
        : { operation: 'import/url', url: file.importUrl, filename: file.name };
    tasks[names.original] = { operation: 'export/url', input: names.import };
    tasks[names.convert] = {
      operation: 'convert',
      input: names.import,
      ...(inputFormat === '' ? {} : { input_format: inputFormat }),
      output_format: batch.to,
      filename: fileNameWithFormat(file.name, batch.to),
    };
    tasks[names.export] = { operation: 'export/url', input: names.convert };
  });
  return { tag, tasks };
}
