import { randomBytes } from 'node:crypto';
import { BodyError, parseMultipart } from '../body.js';
import type { FileStore } from '../file-store.js';
import type { SandboxRequest, SandboxResponse } from '../types.js';
import { md5OfStream } from './md5.js';
import type { TaskFile } from './model.js';
import { S3Error, postResponseXml } from './s3-xml.js';
import { S3Signer, type UploadForm } from './s3-signing.js';

/** The bucket (first path segment) of the storage host, like the real `tasks` / `tasks-sandbox`. */
export const BUCKET = 'tasks';

/** Where uploads land: the import/upload tasks. */
export interface UploadTarget {
  /** True while the task exists and still waits for its file. */
  acceptsUpload(taskId: string): boolean;
  /** Hands the uploaded file to the task, which then finishes. */
  completeUpload(taskId: string, file: TaskFile): void;
}

export interface StorageOptions {
  /** Public base URL of the storage mount, e.g. `http://127.0.0.1:8787/cloudconvert/storage`. */
  publicUrl: string;
  store: FileStore;
  uploads: UploadTarget;
  /** Validity of upload forms; the real sandbox gave 6 h (docs/cloudconvert.md §5.2). */
  uploadFormLifetimeMs: number;
  /** Validity of export URLs; 24 h in the recordings (docs/cloudconvert.md §6.3). */
  exportUrlLifetimeMs: number;
}

interface StoredObject {
  file: TaskFile;
  lastModified: number;
}

/** An entry of an export/url task's `result.files`. */
export interface ExportedFile {
  filename: string;
  size: number;
  url: string;
}

/**
 * The emulated S3/MinIO storage host: presigned POST uploads for import/upload tasks and presigned
 * GET downloads for export/url results, with S3's checks and XML errors.
 */
export class Storage {
  private readonly signer = new S3Signer();
  private readonly objects = new Map<string, StoredObject>();

  constructor(private readonly options: StorageOptions) {}

  /** The `result.form` of an import/upload task. */
  uploadForm(taskId: string, now: number = Date.now()): UploadForm {
    const expiresAt = now + this.options.uploadFormLifetimeMs;
    return this.signer.uploadForm(
      `${this.options.publicUrl}/${BUCKET}`,
      BUCKET,
      `${taskId}/`,
      now,
      expiresAt,
    );
  }

  /** Publishes a file under `<taskId>/<filename>` and returns its presigned download entry. */
  publish(taskId: string, file: TaskFile, inline: boolean, now: number = Date.now()): ExportedFile {
    const key = `${taskId}/${file.filename}`;
    this.objects.set(key, { file, lastModified: now });
    const expiresAtSec = Math.floor((now + this.options.exportUrlLifetimeMs) / 1000);
    const disposition = `${inline ? 'inline' : 'attachment'}; filename="${file.filename.replace(/"/g, '')}"`;
    const url = this.signer.downloadUrl(
      this.options.publicUrl,
      objectPath(key),
      expiresAtSec,
      disposition,
      file.contentType,
    );
    return { filename: file.filename, size: file.size, url };
  }

  /** Drops every object stored under a task (when the task or its job is deleted). */
  forgetTask(taskId: string): void {
    for (const key of this.objects.keys()) if (key.startsWith(`${taskId}/`)) this.objects.delete(key);
  }

  /** The storage host's request handler. */
  async handle(request: SandboxRequest): Promise<SandboxResponse | undefined> {
    const path = request.url.pathname;
    const resource = path;
    try {
      if (request.method === 'POST' && (path === `/${BUCKET}` || path === `/${BUCKET}/`)) {
        return await this.receiveUpload(request);
      }
      if ((request.method === 'GET' || request.method === 'HEAD') && path.startsWith(`/${BUCKET}/`)) {
        return this.serveDownload(request);
      }
      return undefined;
    } catch (error) {
      if (error instanceof S3Error) {
        if (!request.body.readableEnded) request.body.resume();
        return error.toResponse(resource);
      }
      throw error;
    }
  }

  private async receiveUpload(request: SandboxRequest): Promise<SandboxResponse> {
    request.credential = { kind: 'none', where: 'none' };
    // S3 refuses any Authorization header on a POST policy upload (docs/cloudconvert.md §5.4, node#114).
    if (request.headers.authorization !== undefined) {
      throw new S3Error(400, 'InvalidArgument', 'Unsupported Authorization Type');
    }
    if (!/^multipart\/form-data/i.test(request.headers['content-type'] ?? '')) {
      throw new S3Error(
        400,
        'MalformedPOSTRequest',
        'The body of your POST request is not well-formed multipart/form-data.',
      );
    }
    let form;
    try {
      form = await parseMultipart(request.headers, request.body, this.options.store);
    } catch (error) {
      if (error instanceof BodyError) {
        throw new S3Error(
          400,
          'MalformedPOSTRequest',
          'The body of your POST request is not well-formed multipart/form-data.',
        );
      }
      throw error;
    }
    // S3 reads the form fields up to the file part and ignores whatever follows it.
    const firstFile = form.order.findIndex((part) => part.kind === 'file');
    const fieldCount = firstFile === -1 ? form.order.length : form.order.slice(0, firstFile).length;
    const fields = new Map<string, string>();
    for (const { name, value } of form.fields.slice(0, fieldCount)) {
      if (!fields.has(name.toLowerCase())) fields.set(name.toLowerCase(), value);
    }
    const [upload, ...extraFiles] = form.files;
    await Promise.all(extraFiles.map(({ file }) => this.options.store.delete(file.id)));
    try {
      this.signer.verifyUploadForm(fields, BUCKET, Date.now());
      const keyTemplate = fields.get('key');
      if (keyTemplate === undefined) {
        throw new S3Error(
          400,
          'InvalidArgument',
          "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
        );
      }
      if (!upload || upload.field !== 'file' || form.order[firstFile]?.name !== 'file') {
        throw new S3Error(400, 'InvalidArgument', 'POST requires exactly one file upload per request.');
      }
      const filename = upload.file.name || 'file';
      const key = keyTemplate.replace(/\$\{filename\}/g, filename);
      const taskId = key.split('/')[0] ?? '';
      if (!this.options.uploads.acceptsUpload(taskId))
        throw new S3Error(403, 'AccessDenied', 'Access Denied.');
      const md5 = await md5OfStream(this.options.store.createReadStream(upload.file.id));
      const file: TaskFile = {
        filename: key.slice(taskId.length + 1) || filename,
        size: upload.file.size,
        md5,
        storedId: upload.file.id,
        contentType: upload.file.contentType,
      };
      this.objects.set(key, { file, lastModified: Date.now() });
      this.options.uploads.completeUpload(taskId, file);
      return this.uploadAnswer(fields, key, md5);
    } catch (error) {
      if (upload) await this.options.store.delete(upload.file.id);
      throw error;
    }
  }

  /** S3's answer to a stored POST: `success_action_redirect`, else `success_action_status` (default 204). */
  private uploadAnswer(fields: ReadonlyMap<string, string>, key: string, md5: string): SandboxResponse {
    const etag = `"${md5}"`;
    const location = `${this.options.publicUrl}${objectPath(key)}`;
    const headers = {
      ETag: etag,
      Location: location,
      Vary: 'Origin',
      'X-Amz-Request-Id': randomBytes(8).toString('hex').toUpperCase(),
    };
    const redirect = fields.get('success_action_redirect');
    if (redirect) {
      const target = new URL(redirect);
      target.searchParams.set('bucket', BUCKET);
      target.searchParams.set('key', key);
      target.searchParams.set('etag', etag);
      return { status: 303, headers: { ...headers, Location: target.toString() } };
    }
    const status = fields.get('success_action_status');
    if (status === '201') {
      return {
        status: 201,
        headers: { ...headers, 'Content-Type': 'application/xml' },
        body: postResponseXml(BUCKET, key, etag, location),
      };
    }
    return { status: status === '200' ? 200 : 204, headers };
  }

  private serveDownload(request: SandboxRequest): SandboxResponse {
    request.credential = { kind: 'none', where: 'none' };
    const path = request.url.pathname;
    const overrides = this.signer.verifyDownload(
      path,
      request.url.searchParams,
      Math.floor(Date.now() / 1000),
    );
    const key = safeDecode(path.slice(BUCKET.length + 2));
    const object = this.objects.get(key);
    const stored = object && this.options.store.get(object.file.storedId);
    if (!object || !stored) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    const headers: Record<string, string> = {
      'Content-Type': overrides.contentType || object.file.contentType,
      'Content-Length': String(stored.size),
      ETag: `"${object.file.md5}"`,
      'Last-Modified': new Date(object.lastModified).toUTCString(),
      Vary: 'Origin',
    };
    if (overrides.disposition) headers['Content-Disposition'] = overrides.disposition;
    if (request.method === 'HEAD') return { status: 200, headers };
    return { status: 200, headers, body: this.options.store.createReadStream(stored.id) };
  }
}

/** `/<bucket>/<key>` with each key segment percent-encoded. */
function objectPath(key: string): string {
  return `/${BUCKET}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
