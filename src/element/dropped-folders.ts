/** Most entries read from dropped folders, so that a huge folder cannot stall the page. */
const maxEntries = 10_000;

/**
 * Folder contents in name order, as file managers list them (the file system's order is arbitrary).
 * Made on the first folder rather than at start-up, where it was the largest cost (docs/decisions.md).
 */
let byName: Intl.Collator | undefined;

/** Every entry of a folder: `readEntries` answers in batches (Chromium: 100) until an empty one. */
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

interface Walk {
  files: File[];
  /** Files that count toward the limit. */
  counted: number;
  limit: number;
  counts: (file: File) => boolean;
}

const full = (walk: Walk) => walk.counted >= walk.limit || walk.files.length >= maxEntries;

/** An entry that cannot be read (gone, or not allowed) is left out; the rest of the drop carries on. */
async function collect(entry: FileSystemEntry, walk: Walk): Promise<void> {
  if (full(walk)) return;
  if (entry.isFile) {
    const file = await fileOf(entry as FileSystemFileEntry).catch(() => undefined);
    if (!file) return;
    walk.files.push(file);
    if (walk.counts(file)) walk.counted += 1;
    return;
  }
  if (entry.isDirectory) {
    const children = await readAll((entry as FileSystemDirectoryEntry).createReader()).catch(() => []);
    byName ??= new Intl.Collator(undefined, { numeric: true });
    const collator = byName;
    children.sort((a, b) => collator.compare(a.name, b.name));
    for (const child of children) {
      await collect(child, walk);
      if (full(walk)) return;
    }
  }
}

/**
 * The files of dropped entries (taken from the drop event while it lasts): plain files as they are,
 * folders walked recursively (each folder's entries in name order), until `limit` files that
 * `counts` (by default every file) have been found: one more than the element could take is enough
 * to say "too many". Files that do not count (those the restrictions will refuse anyway) are
 * returned too, so that they can be refused with a reason, but they do not use up the limit. A
 * module of its own, loaded on the first drop of a folder.
 */
export async function filesOfEntries(
  entries: readonly (FileSystemEntry | null)[],
  limit: number,
  counts: (file: File) => boolean = () => true,
): Promise<File[]> {
  const walk: Walk = { files: [], counted: 0, limit, counts };
  for (const entry of entries) {
    if (entry) await collect(entry, walk);
    if (full(walk)) break;
  }
  return walk.files;
}
