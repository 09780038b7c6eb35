import type { SandboxRequest, SandboxResponse } from '../types.js';
import type { ConvertApiContext } from './context.js';
import { noteCredential } from './auth.js';
import { errors } from './errors.js';
import { queryValue } from './query.js';
import { contentDisposition } from './responses.js';

/**
 * `GET|HEAD|DELETE /d/{FileId}[/{name}]`: downloads need no credential (docs/convertapi.md §3);
 * `download=inline` shows the file in the browser, the default is an attachment.
 * The name segment is cosmetic: both link forms appear in official material.
 */
export function handleStoredFile(
  request: SandboxRequest,
  context: ConvertApiContext,
  fileId: string,
): Promise<SandboxResponse> | SandboxResponse {
  noteCredential(request, context);
  if (request.method === 'DELETE') return deleteFile(context, fileId);
  const file = context.store.get(fileId);
  // [?] The real body for an unknown or expired FileId is unconfirmed; 404 with the 5009 error.
  if (!file) return { ...errors.invalidFileId().toResponse(), status: 404 };
  const disposition =
    queryValue(request.url, 'download')?.toLowerCase() === 'inline' ? 'inline' : 'attachment';
  return {
    status: 200,
    headers: {
      'Content-Type': file.contentType,
      'Content-Length': String(file.size),
      'Content-Disposition': contentDisposition(disposition, file.name),
    },
    body: context.store.createReadStream(file.id),
  };
}

/** NET and GO count HTTP 200 as a successful delete (docs/convertapi.md §3). */
async function deleteFile(context: ConvertApiContext, fileId: string): Promise<SandboxResponse> {
  return (await context.store.delete(fileId))
    ? { status: 200 }
    : { ...errors.invalidFileId().toResponse(), status: 404 };
}
