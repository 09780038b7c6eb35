import { randomBytes } from 'node:crypto';
import type { SandboxResponse } from '../types.js';

/** Escapes text for XML; quotes as `&#34;` the way MinIO writes the ETag (docs/cloudconvert.md §12.2). */
export function xmlEscape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;')
    .replace(/'/g, '&#39;');
}

/** An S3 error the storage host answers with, as XML. */
export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'S3Error';
  }

  /** The S3/MinIO-style XML error response. */
  toResponse(resource: string): SandboxResponse {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${xmlEscape(this.code)}</Code><Message>${xmlEscape(this.message)}</Message>` +
      `<Resource>${xmlEscape(resource)}</Resource><RequestId>${requestId}</RequestId></Error>`;
    return {
      status: this.status,
      headers: { 'Content-Type': 'application/xml', 'X-Amz-Request-Id': requestId, Vary: 'Origin' },
      body,
    };
  }
}

/** The S3 `PostResponse` body of a successful form upload (docs/cloudconvert.md §12.2). */
export function postResponseXml(bucket: string, key: string, etag: string, location: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<PostResponse><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key>` +
    `<ETag>${xmlEscape(etag)}</ETag><Location>${xmlEscape(location)}</Location></PostResponse>`
  );
}
