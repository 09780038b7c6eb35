/** Longest accepted file name, in UTF-16 code units (file systems allow 255 bytes; names beyond are abuse). */
export const MAX_FILE_NAME_LENGTH = 255;

// C0 and C1 controls, DEL, and the Unicode bidi controls that can disguise an extension ("exe.pdf" shown as "fdp.exe").
const FORBIDDEN_CHARACTERS = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Says what is wrong with a file name a browser reported, or `undefined` when it is an acceptable base name:
 * not empty, not too long, no path separators or dot-only names (path traversal), no control or bidi characters,
 * no surrounding spaces.
 */
export function fileNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_FILE_NAME_LENGTH) return `is longer than ${MAX_FILE_NAME_LENGTH} characters`;
  if (name.includes('/') || name.includes('\\')) return 'contains a path separator';
  if (/^\.+$/.test(name)) return 'is not a file name';
  if (FORBIDDEN_CHARACTERS.test(name)) return 'contains control characters';
  if (name.trim() !== name) return 'starts or ends with a space';
  if (LONE_SURROGATE.test(name)) return 'is not well-formed Unicode';
  return undefined;
}

/** The extension of `name` in lower case, without the dot (`"Report.DOCX"` → `"docx"`), or `''`. */
export function fileExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 || dot === name.length - 1 ? '' : name.slice(dot + 1).toLowerCase();
}

/** `name` with its extension replaced by `format` (`"report.docx"`, `"pdf"` → `"report.pdf"`). */
export function fileNameWithFormat(name: string, format: string): string {
  const dot = name.lastIndexOf('.');
  return `${dot > 0 ? name.slice(0, dot) : name}.${format}`;
}
