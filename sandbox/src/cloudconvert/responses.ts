import { createHash } from 'node:crypto';
import type { SandboxResponse } from '../types.js';
import type { ApiError } from './errors.js';

/** Headers of the api host (Laravel behind nginx, docs/cloudconvert.md §11). */
const API_HEADERS = { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' };

/** A JSON answer of the api host. */
export function apiJson(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): SandboxResponse {
  return { status, headers: { ...API_HEADERS, ...headers }, body };
}

/** `204 No Content` with no body, as the api host answers deletes. */
export function apiNoContent(headers: Record<string, string> = {}): SandboxResponse {
  return { status: 204, headers: { 'Cache-Control': 'no-cache, private', ...headers } };
}

/** An `ApiError` as the api host answers it. */
export function apiError(error: ApiError, headers: Record<string, string> = {}): SandboxResponse {
  return apiJson(error.status, error.toBody(), { ...headers, ...error.headers });
}

/**
 * A JSON answer of the sync host (Express: charset and a weak ETag, docs/cloudconvert.md §11).
 * CORS headers (`Vary: Origin`, `Access-Control-Allow-Credentials`) are the server core's job.
 */
export function syncJson(status: number, body: unknown): SandboxResponse {
  const text = JSON.stringify(body);
  const digest = createHash('sha1').update(text).digest('base64').slice(0, 27);
  const etag = `W/"${Buffer.byteLength(text).toString(16)}-${digest}"`;
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ETag: etag }, body };
}
