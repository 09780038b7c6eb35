import type { IncomingHttpHeaders } from 'node:http';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { FileStore, StoredFile } from './file-store.js';

export type BodyErrorKind = 'too-large' | 'bad-json' | 'bad-multipart' | 'aborted';

/** Why a request body could not be read; the server core maps `kind` to a status. */
export class BodyError extends Error {
  constructor(
    message: string,
    readonly kind: BodyErrorKind,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/**
 * Reads a whole body into memory.
 * Past `maxBytes` it rejects with `BodyError('too-large')` at once and keeps draining the stream
 * (without destroying it, so a response can still be sent); a failed or cut stream gives `'aborted'`.
 */
export function readBuffer(stream: Readable, maxBytes: number = Number.POSITIVE_INFINITY): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let ended = false;

    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      length += bytes.length;
      if (length > maxBytes) {
        cleanup();
        // An error listener stays so that a later failure of the drained stream is not unhandled.
        stream.on('error', () => undefined);
        stream.resume();
        reject(new BodyError(`Body exceeds the limit of ${maxBytes} bytes`, 'too-large'));
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = (): void => {
      ended = true;
      cleanup();
      resolve(Buffer.concat(chunks, length));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new BodyError(`Body aborted: ${error.message}`, 'aborted'));
    };
    const onClose = (): void => {
      if (ended) return;
      cleanup();
      reject(new BodyError('Body aborted: the stream closed before its end', 'aborted'));
    };

    if (stream.readableEnded) {
      reject(new BodyError('Body was already read', 'aborted'));
      return;
    }
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/** Reads a whole body as UTF-8 text (a leading byte order mark is dropped). */
export async function readText(stream: Readable, maxBytes?: number): Promise<string> {
  const text = (await readBuffer(stream, maxBytes)).toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** Reads and parses a JSON body; an empty or malformed body gives `BodyError('bad-json')`. */
export async function readJson(stream: Readable, maxBytes?: number): Promise<unknown> {
  const text = await readText(stream, maxBytes);
  if (text.trim() === '') throw new BodyError('Body is empty; JSON was expected', 'bad-json');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BodyError(`Body is not valid JSON: ${(error as Error).message}`, 'bad-json');
  }
}

/** Reads an `application/x-www-form-urlencoded` body. */
export async function readUrlEncoded(stream: Readable, maxBytes?: number): Promise<URLSearchParams> {
  return new URLSearchParams(await readText(stream, maxBytes));
}

export interface MultipartField {
  name: string;
  value: string;
}

export interface MultipartFile {
  /** The form field name of the file part. */
  field: string;
  file: StoredFile;
  mimeType: string;
}

export interface MultipartResult {
  /** Text fields in arrival order. */
  fields: MultipartField[];
  /** File parts in arrival order, already stored. */
  files: MultipartFile[];
  /** Every part in arrival order (S3-style forms require fields before the file). */
  order: Array<{ kind: 'field' | 'file'; name: string }>;
}

export interface MultipartOptions {
  /** Per-file limit; a bigger file gives `BodyError('too-large')`. */
  maxFileBytes?: number;
  /** Per-field limit (default 1 MiB); a bigger field gives `BodyError('too-large')`. */
  maxFieldBytes?: number;
}

const DEFAULT_MAX_FIELD_BYTES = 1024 * 1024;

/**
 * Parses a `multipart/form-data` body with busboy, streaming each file part into the store.
 * A part with a filename (or typed `application/octet-stream`) is a file; the others are fields.
 * On any failure the files stored so far are deleted and it rejects with a `BodyError`.
 */
export function parseMultipart(
  headers: IncomingHttpHeaders,
  stream: Readable,
  store: FileStore,
  options: MultipartOptions = {},
): Promise<MultipartResult> {
  const maxFileBytes = options.maxFileBytes ?? Number.POSITIVE_INFINITY;
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers,
        defParamCharset: 'utf8',
        limits: {
          fieldSize: options.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES,
          ...(Number.isFinite(maxFileBytes) ? { fileSize: maxFileBytes } : {}),
        },
      });
    } catch (error) {
      reject(new BodyError(`Not a multipart body: ${(error as Error).message}`, 'bad-multipart'));
      return;
    }

    const result: MultipartResult = { fields: [], files: [], order: [] };
    // One entry per file part in arrival order; each settles to the stored file or `undefined`, never rejects.
    const pendingFiles: Array<Promise<MultipartFile | undefined>> = [];
    let settled = false;

    const storedFiles = async (): Promise<MultipartFile[]> =>
      (await Promise.all(pendingFiles)).filter((entry) => entry !== undefined);
    const cleanUpFiles = async (): Promise<void> => {
      await Promise.all((await storedFiles()).map(({ file }) => store.delete(file.id)));
    };
    const fail = (error: BodyError): void => {
      if (settled) return;
      settled = true;
      stream.unpipe(parser);
      if (!stream.destroyed) {
        stream.on('error', () => undefined);
        stream.resume();
      }
      parser.destroy();
      void cleanUpFiles().then(() => {
        reject(error);
      });
    };

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated || info.nameTruncated) {
        fail(new BodyError(`Field "${name}" exceeds the size limit`, 'too-large'));
        return;
      }
      result.fields.push({ name, value });
      result.order.push({ kind: 'field', name });
    });

    parser.on('file', (field, fileStream, info) => {
      result.order.push({ kind: 'file', name: field });
      let truncated = false;
      fileStream.on('limit', () => {
        truncated = true;
      });
      const stored = store
        .putStream(fileStream, info.filename ?? '', { contentType: info.mimeType })
        .then((file): MultipartFile => {
          if (truncated)
            fail(new BodyError(`File "${field}" exceeds the limit of ${maxFileBytes} bytes`, 'too-large'));
          return { field, file, mimeType: info.mimeType };
        })
        .catch((error: unknown) => {
          fail(
            error instanceof BodyError
              ? error
              : new BodyError(`Storing "${field}" failed: ${String(error)}`, 'aborted'),
          );
          return undefined;
        });
      pendingFiles.push(stored);
    });

    parser.on('error', (error: Error) => {
      fail(new BodyError(`Malformed multipart body: ${error.message}`, 'bad-multipart'));
    });

    parser.on('close', () => {
      void storedFiles().then((files) => {
        if (settled) return;
        settled = true;
        result.files = files;
        resolve(result);
      });
    });

    stream.on('error', (error: Error) => {
      fail(new BodyError(`Body aborted: ${error.message}`, 'aborted'));
    });
    stream.on('close', () => {
      if (!stream.readableEnded)
        fail(new BodyError('Body aborted: the stream closed before its end', 'aborted'));
    });
    stream.pipe(parser);
  });
}

/**
 * The file name from a `Content-Disposition` header, preferring RFC 5987 `filename*=UTF-8''…`
 * over `filename="…"`; any directory part is dropped. `undefined` when there is none.
 */
export function contentDispositionFilename(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const params = dispositionParams(header);
  const extended = params.get('filename*');
  const decodedExtended = extended === undefined ? undefined : decodeExtendedValue(extended);
  const plain = params.get('filename');
  const name = decodedExtended ?? (plain === undefined ? undefined : repairUtf8(plain));
  if (name === undefined) return undefined;
  const base = basename(name.replace(/\\/g, '/'));
  return base === '' || base === '.' || base === '..' ? undefined : base;
}

/** Parameters after the disposition type, with quoted strings unescaped; names lower-cased. */
function dispositionParams(header: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /;\s*(?<name>[^\s=;]+)\s*=\s*(?:"(?<quoted>(?:[^"\\]|\\.)*)"|(?<token>[^;]*))/g;
  for (const { groups } of header.matchAll(pattern)) {
    if (!groups?.['name']) continue;
    const name = groups['name'].toLowerCase();
    const quoted = groups['quoted'];
    const value = quoted !== undefined ? quoted.replace(/\\(["\\])/g, '$1') : (groups['token'] ?? '').trim();
    if (!params.has(name)) params.set(name, value);
  }
  return params;
}

/** Decodes an RFC 5987 `charset'language'percent-encoded` value. */
function decodeExtendedValue(value: string): string | undefined {
  const match = /^(?<charset>[^']*)'[^']*'(?<encoded>.*)$/.exec(value);
  if (!match?.groups) return undefined;
  const charset = (match.groups['charset'] ?? '').toLowerCase();
  const bytes = percentDecode(match.groups['encoded'] ?? '');
  if (charset === 'utf-8' || charset === 'utf8' || charset === '') {
    return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  }
  if (charset === 'iso-8859-1' || charset === 'latin1') return Buffer.from(bytes).toString('latin1');
  return undefined;
}

function percentDecode(text: string): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text.charAt(i), 'utf8'));
    }
  }
  return Uint8Array.from(bytes);
}

/** Node reads header bytes as Latin-1; a raw UTF-8 name arrives mangled and is restored here. */
function repairUtf8(value: string): string {
  const codes = Array.from(value, (char) => char.charCodeAt(0));
  if (!codes.some((code) => code >= 0x80) || codes.some((code) => code > 0xff)) return value;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(value, 'latin1'));
  } catch {
    return value;
  }
}
