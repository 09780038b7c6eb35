import { basename, extname } from 'node:path';

const ALIASES: Readonly<Record<string, string>> = {
  jpeg: 'jpg',
  jpe: 'jpg',
  markdown: 'md',
  htm: 'html',
  text: 'txt',
  tif: 'tiff',
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  md: 'text/markdown',
  html: 'text/html',
  csv: 'text/csv',
  json: 'application/json',
  xml: 'application/xml',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
  zip: 'application/zip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  rtf: 'application/rtf',
};

/**
 * The canonical name of a format or extension: lower-case, without a leading dot, aliases folded
 * (`jpeg` → `jpg`, `markdown` → `md`, `htm` → `html`, `text` → `txt`, `tif` → `tiff`).
 */
export function normalizeFormat(format: string): string {
  const lower = format.trim().toLowerCase().replace(/^\./, '');
  return ALIASES[lower] ?? lower;
}

/** The MIME type for a format or extension; `application/octet-stream` when unknown. */
export function contentTypeFor(format: string): string {
  return CONTENT_TYPES[normalizeFormat(format)] ?? 'application/octet-stream';
}

/** The canonical format of a file name's extension, or `''` when it has none. */
export function formatOfFileName(name: string): string {
  const ext = extname(basename(name));
  return ext === '' ? '' : normalizeFormat(ext);
}

/** The file name with its extension replaced (or added): `report.final.md` → `report.final.pdf`. */
export function replaceExtension(name: string, ext: string): string {
  const base = basename(name.replace(/\\/g, '/'));
  const stem = base.slice(0, base.length - extname(base).length) || base || 'file';
  return `${stem}.${ext}`;
}
