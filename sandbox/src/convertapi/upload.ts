import { BodyError, contentDispositionFilename, parseMultipart } from '../body.js';
import type { StoredFile } from '../file-store.js';
import type { SandboxRequest, SandboxResponse } from '../types.js';
import { noteCredential } from './auth.js';
import type { ConvertApiContext } from './context.js';
import { errors } from './errors.js';
import { downloadUrl, resolveFileReference } from './file-references.js';
import { headerText, mediaType } from './headers.js';
import { queryValue } from './query.js';

/**
 * `POST /upload`: the raw body named by the `filename` query parameter (which wins) or by
 * Content-Disposition, or a multipart body with one file part; `?url=` copies a file this sandbox
 * serves. No credential is needed (docs/convertapi.md §3); one that is sent is only noted for the log.
 */
export async function handleUpload(
  request: SandboxRequest,
  context: ConvertApiContext,
): Promise<SandboxResponse> {
  noteCredential(request, context);
  const queryName = queryValue(request.url, 'filename') || undefined;
  const remote = queryValue(request.url, 'url');
  const file = remote
    ? await copyRemote(remote, queryName, context)
    : await receive(request, queryName, context);
  if (file.size === 0) {
    await context.store.delete(file.id);
    throw errors.invalidParameters({ File: ['File size must be greater than 0 bytes.'] });
  }
  return uploadResponse(file, request, context);
}

async function receive(
  request: SandboxRequest,
  queryName: string | undefined,
  context: ConvertApiContext,
): Promise<StoredFile> {
  const type = mediaType(request.headers['content-type']);
  if (type === 'multipart/form-data') return receiveMultipart(request, queryName, context);
  const disposition = request.headers['content-disposition'];
  const name = queryName ?? contentDispositionFilename(headerText(disposition));
  if (!name) throw errors.noContentDisposition();
  return context.store.putStream(request.body, name, { contentType: type || 'application/octet-stream' });
}

/** The docs name the part both `file` and `FileData`; any single file part is taken. */
async function receiveMultipart(
  request: SandboxRequest,
  queryName: string | undefined,
  context: ConvertApiContext,
): Promise<StoredFile> {
  const form = await parseMultipart(request.headers, request.body, context.store).catch((error: unknown) => {
    if (error instanceof BodyError && error.kind === 'bad-multipart') {
      throw errors.invalidParameters({ File: ['The multipart body could not be read.'] });
    }
    throw error;
  });
  const [first, ...extra] = form.files;
  await Promise.all(extra.map(({ file }) => context.store.delete(file.id)));
  if (!first) throw errors.invalidParameters({ File: ['The File field is required.'] });
  if (!queryName || queryName === first.file.name) return first.file;
  const renamed = await context.store.putStream(context.store.createReadStream(first.file.id), queryName, {
    contentType: first.file.contentType,
  });
  await context.store.delete(first.file.id);
  return renamed;
}

/** `?url=`: the sandbox fetches nothing remote, so only its own download links can be copied (5007 otherwise). */
async function copyRemote(
  url: string,
  queryName: string | undefined,
  context: ConvertApiContext,
): Promise<StoredFile> {
  const source = resolveFileReference({ kind: 'url', url }, context.store, context.base);
  // `FileName=` names the copy; it is the same parameter as `filename`, names being case-insensitive.
  return context.store.putStream(context.store.createReadStream(source.id), queryName ?? source.name, {
    contentType: source.contentType,
  });
}

/**
 * JSON `{FileId, FileName, FileExt, FileSize, Url}` for `Accept` with json or a wildcard; the bare FileId
 * for `text/plain`. [?] Without Accept the GO and JAVA clients read the body as the FileId, so the real
 * server most likely answers text then: so does the sandbox.
 */
function uploadResponse(
  file: StoredFile,
  request: SandboxRequest,
  context: ConvertApiContext,
): SandboxResponse {
  const accept = (request.headers.accept ?? '').toLowerCase();
  const json = /json|\*\/\*|application\/\*/.test(accept);
  if (!json) return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: file.id };
  const dot = file.name.lastIndexOf('.');
  return {
    status: 200,
    body: {
      FileId: file.id,
      FileName: file.name,
      FileExt: dot > 0 ? file.name.slice(dot + 1).toLowerCase() : '',
      FileSize: file.size,
      Url: downloadUrl(context.base, file),
    },
  };
}
