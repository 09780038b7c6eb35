/** The tasks converting one file, by role; each file of a batch has its own chain. */
export interface TaskNames {
  /** `import/upload`, or `import/url` when the file is imported from an earlier export. */
  readonly import: string;
  readonly convert: string;
  /** `export/url` of the converted file. */
  readonly export: string;
  /** `export/url` of the imported file itself, so that it can be converted again without a second upload. */
  readonly original: string;
}

/**
 * The task names of file `index`'s chain in a CloudConvert job. They carry the file's place in the batch,
 * which is how the browser finds its own file's tasks in a job someone else created.
 */
export function taskNamesForFile(index: number): TaskNames {
  return {
    import: `import-${index}`,
    convert: `convert-${index}`,
    export: `export-${index}`,
    original: `original-${index}`,
  };
}
