/** Most entries read from dropped folders, so that a huge folder cannot stall the page. */
const maxEntries = 10_000;

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const entries: FileSystemEntry[] = [];
    const readBatch = () => {
      reader.readEntries((batch) => {
        if (batch.length === 0 || entries.length >= maxEntries) resolve(entries);
        else {
          entries.push(...batch);
          readBatch();
        }
      }, reject);
    };
    readBatch();
  });
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => {
    entry.file(resolve, reject);
  });
}

async function collect(entry: FileSystemEntry, into: File[], limit: number): Promise<void> {
  if (into.length >= limit) return;
  if (entry.isFile) {
    into.push(await fileOf(entry as FileSystemFileEntry));
    return;
  }
  if (entry.isDirectory) {
    for (const child of await readAll((entry as FileSystemDirectoryEntry).createReader())) {
      await collect(child, into, limit);
      if (into.length >= limit) return;
    }
  }
}

/**
 * The files of a drop: plain files as they are, folders walked recursively, at most `limit` files
 * (one more than the element could take is enough to say "too many").
 */
export async function droppedFiles(dataTransfer: DataTransfer, limit: number): Promise<File[]> {
  const entries = [...dataTransfer.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry());
  if (entries.length === 0 || entries.every((entry) => entry === null || entry.isFile)) {
    return [...dataTransfer.files].slice(0, limit);
  }
  const files: File[] = [];
  for (const entry of entries) {
    if (entry) await collect(entry, files, limit);
    if (files.length >= limit) break;
  }
  return files;
}
