/** Why a file was not added (`convert-rejected`); a refused file never starts, so it has no `ErrorCode`. */
export type RejectionCode = 'file-too-large' | 'file-type-not-accepted' | 'too-many-files' | 'empty-file';

export interface Rejection {
  file: File;
  code: RejectionCode;
}

export interface Restrictions {
  /** Like `<input accept>`: `.pdf`, `image/*`, `text/plain`, comma-separated. */
  accept?: string;
  maxFileSize?: number;
  maxFiles?: number;
  /** Files already in the list, counted against `maxFiles`. */
  alreadyQueued?: number;
}

const sizeUnits: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** Reads `25MB`, `1.5 GB`, `512KiB` or plain bytes; undefined for anything else. */
export function parseSize(value: string | null | undefined): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value ?? '');
  if (!match) return undefined;
  const unit = sizeUnits[(match[2] ?? '').toLowerCase() || 'b'];
  return unit === undefined ? undefined : Math.floor(Number(match[1]) * unit);
}

/** Whether `file` matches an `accept` list, as the file picker would filter it. */
export function matchesAccept(file: File, accept: string | undefined): boolean {
  const patterns = (accept ?? '')
    .split(',')
    .map((pattern) => pattern.trim().toLowerCase())
    .filter(Boolean);
  if (patterns.length === 0) return true;
  const name = file.name.toLowerCase();
  const type = file.type.toLowerCase();
  return patterns.some((pattern) => {
    if (pattern.startsWith('.')) return name.endsWith(pattern);
    if (pattern.endsWith('/*')) return type.startsWith(pattern.slice(0, -1));
    return type === pattern;
  });
}

/** Splits files into those that pass the restrictions and those that do not, with the reason. */
export function applyRestrictions(
  files: readonly File[],
  restrictions: Restrictions,
): { accepted: File[]; rejected: Rejection[] } {
  const accepted: File[] = [];
  const rejected: Rejection[] = [];
  let room =
    restrictions.maxFiles === undefined
      ? Infinity
      : restrictions.maxFiles - (restrictions.alreadyQueued ?? 0);
  for (const file of files) {
    if (!matchesAccept(file, restrictions.accept)) rejected.push({ file, code: 'file-type-not-accepted' });
    else if (file.size === 0) rejected.push({ file, code: 'empty-file' });
    else if (restrictions.maxFileSize !== undefined && file.size > restrictions.maxFileSize) {
      rejected.push({ file, code: 'file-too-large' });
    } else if (room <= 0) rejected.push({ file, code: 'too-many-files' });
    else {
      accepted.push(file);
      room -= 1;
    }
  }
  return { accepted, rejected };
}
