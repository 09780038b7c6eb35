import type { FileStore, StoredFile } from '../file-store.js';
import { errors } from './errors.js';
import type { FileReference } from './parameters.js';

/**
 * The stored file a reference points to. URLs resolve only when they are this sandbox's own
 * `/d/{FileId}[/{name}]` links (earlier results or uploads); the sandbox fetches nothing remote.
 */
export function resolveFileReference(reference: FileReference, store: FileStore, base: string): StoredFile {
  switch (reference.kind) {
    case 'stored':
      return reference.file;
    case 'id': {
      const file = store.get(reference.id);
      if (!file) throw errors.invalidFileId();
      return file;
    }
    case 'url': {
      const id = sandboxFileId(reference.url, base);
      const file = id === undefined ? undefined : store.get(id);
      if (!file) throw errors.cannotDownload();
      return file;
    }
  }
}

/** The FileId in a download link of this host, whatever host name it was reached by. */
export function sandboxFileId(url: string, base: string): string | undefined {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const mount = new URL(base).pathname.replace(/\/$/, '');
  if (!pathname.startsWith(`${mount}/d/`)) return undefined;
  return pathname.slice(mount.length + 3).split('/')[0] || undefined;
}

/** A result's public link, `{base}/d/{FileId}/{name}` as in the real responses (docs/convertapi.md §2). */
export function downloadUrl(base: string, file: StoredFile): string {
  return `${base}/d/${file.id}/${encodeURIComponent(file.name)}`;
}
