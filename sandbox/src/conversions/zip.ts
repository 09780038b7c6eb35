import { zipSync, type Zippable } from 'fflate';

/**
 * A ZIP archive of the files (fflate), each under its own base name; a name that repeats gets a
 * number (`a.txt`, `a-2.txt`) so no entry hides another.
 */
export function zipFiles(files: Array<{ name: string; data: Buffer }>): Uint8Array {
  const entries: Zippable = {};
  const used = new Set<string>();
  for (const file of files) {
    const name = uniqueName(entryName(file.name), used);
    entries[name] = new Uint8Array(file.data.buffer, file.data.byteOffset, file.data.byteLength);
  }
  // Level 6 is zlib's default; the modification time is fixed so the same inputs give the same bytes.
  return zipSync(entries, { level: 6, mtime: new Date('1980-01-01T00:00:00Z') });
}

/** The last path segment without control characters: entries never carry folders or `..`. */
function entryName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\x00-\x1f\x7f]/g, '').trim();
  return base === '' || base === '.' || base === '..' ? 'file' : base;
}

function uniqueName(name: string, used: Set<string>): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let candidate = name;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${stem}-${n}${ext}`;
  used.add(candidate.toLowerCase());
  return candidate;
}
