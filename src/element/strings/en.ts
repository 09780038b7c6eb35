/** English UI strings: the reference set every other language module mirrors. */
export const en = {
  dropzoneLabel: 'Files to convert',
  dropHint: 'Drop files here or',
  chooseFiles: 'Choose files',
  chooseFile: 'Choose a file',
  fileListLabel: 'Chosen files',
  filesAdded: (count: number) => (count === 1 ? '1 file added' : `${count} files added`),
};

export type UiStrings = typeof en;
