import { randomBytes } from 'node:crypto';
import type { StoredFile } from '../file-store.js';
import type { SandboxResponse } from '../types.js';
import { downloadUrl } from './file-references.js';
import { mediaType } from './headers.js';

/** One converted file, stored when `StoreFile` was true. */
export interface ResultFile {
  name: string;
  ext: string;
  contentType: string;
  data: Buffer;
  stored?: StoredFile;
}

/** How the caller wants the result, from `Accept` and the `download` parameter. */
export type ResultFormat =
  { kind: 'json' } | { kind: 'multipart' } | { kind: 'raw'; disposition: 'attachment' | 'inline' };

/**
 * `download=inline|attachment` asks for the raw file (the "virtual file server" mode); otherwise the
 * first Accept type the service knows wins: JSON (also for a wildcard or no Accept), octet-stream, multipart/mixed.
 */
export function resultFormat(accept: string | undefined, download: string | undefined): ResultFormat {
  const mode = download?.toLowerCase();
  if (mode === 'inline' || mode === 'attachment') return { kind: 'raw', disposition: mode };
  for (const type of (accept ?? '').split(',').map(mediaType)) {
    if (type === 'application/json' || type === '*/*' || type === 'application/*') return { kind: 'json' };
    if (type === 'application/octet-stream') return { kind: 'raw', disposition: 'attachment' };
    if (type === 'multipart/mixed') return { kind: 'multipart' };
  }
  return { kind: 'json' };
}

/** The conversion answer in the requested form (docs/convertapi.md §2). */
export function conversionResponse(
  files: ResultFile[],
  format: ResultFormat,
  base: string,
  conversionCost: number,
): SandboxResponse {
  switch (format.kind) {
    case 'raw':
      // [?] With several results and a raw answer requested, the first file is sent (unconfirmed).
      return files[0] ? rawFileResponse(files[0], format.disposition) : { status: 204 };
    case 'multipart':
      return multipartResponse(files);
    case 'json':
      return {
        status: 200,
        body: { ConversionCost: conversionCost, Files: files.map((file) => fileEntry(file, base)) },
      };
  }
}

/**
 * StoreFile=true: a link and FileId; StoreFile=false: the bytes as base64 `FileData`.
 * [?] Whether `FileExt` comes with `FileData` is unconfirmed; it is sent (extra fields are harmless).
 */
function fileEntry(file: ResultFile, base: string): Record<string, unknown> {
  const common = { FileName: file.name, FileExt: file.ext, FileSize: file.data.length };
  return file.stored
    ? { ...common, FileId: file.stored.id, Url: downloadUrl(base, file.stored) }
    : { ...common, FileData: file.data.toString('base64') };
}

function rawFileResponse(file: ResultFile, disposition: 'attachment' | 'inline'): SandboxResponse {
  return {
    status: 200,
    headers: {
      'Content-Type': file.contentType,
      'Content-Disposition': contentDisposition(disposition, file.name),
    },
    body: file.data,
  };
}

/** One part per file, each with `Content-Disposition: attachment; filename="x"; size=N` as the CLI parses it. */
function multipartResponse(files: ResultFile[]): SandboxResponse {
  const boundary = randomBytes(12).toString('hex');
  const parts = files.map((file) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Type: application/octet-stream\r\n` +
          `Content-Disposition: ${contentDisposition('attachment', file.name)}; size=${file.data.length}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    ]),
  );
  return {
    status: 200,
    headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
    body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
  };
}

/** `attachment; filename="report.pdf"`, plus an RFC 5987 `filename*` when the name is not plain ASCII. */
export function contentDisposition(disposition: 'attachment' | 'inline', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const header = `${disposition}; filename="${ascii}"`;
  return ascii === name ? header : `${header}; filename*=UTF-8''${encodeRfc5987(name)}`;
}

function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
