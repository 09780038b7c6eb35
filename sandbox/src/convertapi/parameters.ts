import { BodyError, contentDispositionFilename, parseMultipart, readJson, readUrlEncoded } from '../body.js';
import type { FileStore, StoredFile } from '../file-store.js';
import type { SandboxRequest } from '../types.js';
import { errors } from './errors.js';
import { headerText, mediaType } from './headers.js';

/** Where a file parameter points. */
export type FileReference =
  { kind: 'stored'; file: StoredFile } | { kind: 'id'; id: string } | { kind: 'url'; url: string };

/** Every parameter of a request, whatever body form it came in, with lower-cased names. */
export interface ConvertParameters {
  /** Text parameters by lower-case name (credentials left out). */
  values: Map<string, string>;
  /** File parameters by lower-case base name (`file`, `files`, `overlayfile`), in index order. */
  files: Map<string, FileReference[]>;
  /** Files that came inside this request (multipart, raw body, base64): delete them when done. */
  inlineFiles: StoredFile[];
}

/** Query parameters that carry credentials, never conversion parameters. */
const CREDENTIAL_PARAMETERS = new Set(['secret', 'token', 'apikey']);
const CONTROL_BODY_LIMIT = 16 * 1024 * 1024;

/**
 * `File`, `Files[i]` and any name ending in `File` (except `StoreFile`) are file parameters
 * (docs/convertapi.md §1); names are matched case-insensitively, as the GO and CLI clients lower-case them.
 */
export function isFileParameter(baseName: string): boolean {
  return (baseName.endsWith('file') && baseName !== 'storefile') || baseName.endsWith('files');
}

/**
 * Reads the query string and the body (multipart, x-www-form-urlencoded, JSON `{"Parameters":[…]}`,
 * or a raw file with `Content-Disposition`) into one parameter list. Body values override query values.
 */
export async function readParameters(request: SandboxRequest, store: FileStore): Promise<ConvertParameters> {
  const collector = new ParameterCollector();
  for (const [name, value] of request.url.searchParams) collector.addText(name, value);
  try {
    await readBody(request, store, collector);
  } catch (error) {
    await Promise.all(collector.inlineFiles.map((file) => store.delete(file.id)));
    throw mapBodyError(error);
  }
  return collector.result();
}

async function readBody(
  request: SandboxRequest,
  store: FileStore,
  collector: ParameterCollector,
): Promise<void> {
  if (!hasBody(request)) return;
  const type = mediaType(request.headers['content-type']);
  if (type === 'multipart/form-data') {
    const form = await parseMultipart(request.headers, request.body, store);
    for (const { name, value } of form.fields) collector.addText(name, value);
    for (const { field, file } of form.files) collector.addFile(field, { kind: 'stored', file }, true);
  } else if (type === 'application/x-www-form-urlencoded') {
    for (const [name, value] of await readUrlEncoded(request.body, CONTROL_BODY_LIMIT))
      collector.addText(name, value);
  } else if (type === 'application/json' || type.endsWith('+json')) {
    await readJsonParameters(await readJson(request.body), store, collector);
  } else {
    // A raw file body: its name must come in Content-Disposition (4001 otherwise).
    const name = contentDispositionFilename(headerText(request.headers['content-disposition']));
    if (!name) throw errors.noContentDisposition();
    const file = await store.putStream(request.body, name, {
      contentType: type || 'application/octet-stream',
    });
    collector.addFile('File', { kind: 'stored', file }, true);
  }
}

/** The documented JSON form: `{"Parameters":[{Name, Value | FileValue | FileValues}]}`. */
async function readJsonParameters(
  json: unknown,
  store: FileStore,
  collector: ParameterCollector,
): Promise<void> {
  const list = isRecord(json) ? property(json, 'Parameters') : undefined;
  if (!Array.isArray(list)) throw errors.badJson();
  for (const entry of list) {
    if (!isRecord(entry)) throw errors.badJson();
    const name = property(entry, 'Name');
    if (typeof name !== 'string' || name === '') throw errors.badJson();
    const fileValue = property(entry, 'FileValue');
    const fileValues = property(entry, 'FileValues');
    const value = property(entry, 'Value');
    if (fileValue !== undefined) {
      collector.addFile(name, ...(await jsonFileReference(fileValue, store, collector)));
    } else if (Array.isArray(fileValues)) {
      for (const item of fileValues)
        collector.addFile(name, ...(await jsonFileReference(item, store, collector)));
    } else if (value !== undefined && value !== null) {
      collector.addText(name, typeof value === 'string' ? value : JSON.stringify(value));
    }
  }
}

async function jsonFileReference(
  value: unknown,
  store: FileStore,
  collector: ParameterCollector,
): Promise<[FileReference, boolean]> {
  if (!isRecord(value)) throw errors.badJson();
  const id = property(value, 'Id');
  const url = property(value, 'Url');
  const data = property(value, 'Data');
  if (typeof id === 'string' && id !== '') return [{ kind: 'id', id }, false];
  if (typeof url === 'string' && url !== '') return [{ kind: 'url', url }, false];
  if (typeof data === 'string' && data !== '') {
    const name = property(value, 'Name');
    const file = await store.putBuffer(
      Buffer.from(data, 'base64'),
      typeof name === 'string' && name ? name : 'file',
    );
    collector.inlineFiles.push(file);
    return [{ kind: 'stored', file }, false];
  }
  throw errors.base64FileNotFound();
}

/** Gathers parameters from every source into one normalized list. */
class ParameterCollector {
  readonly values = new Map<string, string>();
  readonly inlineFiles: StoredFile[] = [];
  readonly #files = new Map<string, Array<{ index: number; order: number; reference: FileReference }>>();
  #order = 0;

  addText(rawName: string, value: string): void {
    const { base, index } = splitIndex(rawName);
    if (CREDENTIAL_PARAMETERS.has(base)) return;
    if (isFileParameter(base)) {
      if (value.trim() !== '') this.#put(base, index, textReference(value.trim()));
    } else {
      this.values.set(rawName.toLowerCase(), value);
    }
  }

  /** `inline` marks a file that arrived in this request's body. */
  addFile(rawName: string, reference: FileReference, inline = false): void {
    const { base, index } = splitIndex(rawName);
    if (inline && reference.kind === 'stored') this.inlineFiles.push(reference.file);
    this.#put(base, index, reference);
  }

  #put(base: string, index: number | undefined, reference: FileReference): void {
    const list = this.#files.get(base) ?? [];
    list.push({ index: index ?? Number.MAX_SAFE_INTEGER, order: this.#order++, reference });
    this.#files.set(base, list);
  }

  result(): ConvertParameters {
    const files = new Map<string, FileReference[]>();
    for (const [base, list] of this.#files) {
      const sorted = [...list].sort((a, b) => a.index - b.index || a.order - b.order);
      files.set(
        base,
        sorted.map((item) => item.reference),
      );
    }
    return { values: this.values, files, inlineFiles: this.inlineFiles };
  }
}

/** `Files[2]` → `{ base: 'files', index: 2 }`; `File` → `{ base: 'file' }`. */
function splitIndex(rawName: string): { base: string; index?: number } {
  const match = /^(.*)\[(\d+)\]$/.exec(rawName);
  const [, base = '', index = ''] = match ?? [];
  return match ? { base: base.toLowerCase(), index: Number(index) } : { base: rawName.toLowerCase() };
}

/** A file parameter given as text is a URL when it looks like one, a FileId otherwise. */
function textReference(value: string): FileReference {
  return /^https?:\/\//i.test(value) ? { kind: 'url', url: value } : { kind: 'id', id: value };
}

function hasBody(request: SandboxRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON keys are matched case-insensitively too (`Parameters`, `parameters`). */
function property(record: Record<string, unknown>, name: string): unknown {
  if (name in record) return record[name];
  const wanted = name.toLowerCase();
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === wanted);
  return key === undefined ? undefined : record[key];
}

function mapBodyError(error: unknown): unknown {
  if (!(error instanceof BodyError)) return error;
  if (error.kind === 'bad-json') return errors.badJson();
  if (error.kind === 'bad-multipart')
    return errors.invalidParameters({ File: ['The multipart body could not be read.'] });
  return error;
}
