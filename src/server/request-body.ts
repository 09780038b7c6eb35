import { RequestError } from './errors.js';

/** Default cap on a request body: a batch description is small, anything larger is not one. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads `request`'s body as JSON, refusing (413) as soon as more than `maxBytes` arrive, whatever
 * `Content-Length` claimed, and refusing (415) anything not declared as JSON.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new RequestError(415, 'invalid-request', 'Send the request body as application/json.');
  }
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = new TextDecoder('utf-8', { fatal: true });
  let json = '';
  let received = 0;
  if (request.body !== null) {
    const reader = request.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.byteLength;
        if (received > maxBytes) throw tooLarge(maxBytes);
        json += text.decode(value, { stream: true });
      }
      json += text.decode();
    } catch (error) {
      if (error instanceof RequestError) throw error;
      throw new RequestError(400, 'invalid-request', 'The request body could not be read as UTF-8 text.');
    } finally {
      reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new RequestError(400, 'invalid-request', 'The request body is not valid JSON.');
  }
}

function tooLarge(maxBytes: number): RequestError {
  return new RequestError(413, 'payload-too-large', `The request body exceeds ${maxBytes} bytes.`);
}
