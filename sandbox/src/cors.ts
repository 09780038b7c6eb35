import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxResponse, ServiceName } from './types.js';

/** How long browsers may cache a preflight answer: modest, so switching storage CORS takes effect soon. */
const MAX_AGE_SECONDS = '600';

/** What the CORS rules need to know about a request. */
export interface CorsRequest {
  method: string;
  headers: IncomingHttpHeaders;
}

/** Whether a request is a CORS preflight rather than an ordinary OPTIONS call. */
export function isPreflight(request: CorsRequest): boolean {
  return request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
}

/**
 * The CORS headers a service adds to an ordinary (non-preflight) response.
 * `storageCors` is the switch for the storage host, whose real CORS rules are unconfirmed.
 */
export function corsResponseHeaders(
  service: ServiceName,
  request: CorsRequest,
  storageCors: boolean,
): Record<string, string> {
  const origin = request.headers.origin;
  switch (service) {
    case 'convertapi':
      // [?] v2.convertapi.com's literal CORS headers are unconfirmed (docs/convertapi.md §7); browsers call it
      // directly with fetch, so it must allow any origin. The exposed list follows cdn.convertapi.com.
      return {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Expose-Headers': 'Content-Type, Content-Disposition, Content-Length',
      };
    case 'cloudconvert-sync':
      // Recorded sync responses carry these two even without an Origin header (cloudconvert-recorded.json).
      return { Vary: 'Origin', 'Access-Control-Allow-Credentials': 'true', ...echoOrigin(origin) };
    case 'cloudconvert-api':
    case 'cloudconvert-oauth':
      // The recorded api responses (sent without Origin) had no CORS headers; with an Origin, the Laravel
      // CORS middleware the sync host shows would reflect it. [?] not observed on the api host itself.
      return origin
        ? { Vary: 'Origin', 'Access-Control-Allow-Credentials': 'true', ...echoOrigin(origin) }
        : {};
    case 'cloudconvert-storage':
      // The storage host (MinIO) always answers `Vary: Origin`; `Vary` alone grants nothing cross-origin.
      return storageCors && origin
        ? { Vary: 'Origin', ...echoOrigin(origin), 'Access-Control-Expose-Headers': 'ETag, Location' }
        : { Vary: 'Origin' };
  }
}

/** The answer to a preflight, per service. With storage CORS off it is a 403 without any CORS header. */
export function preflightResponse(
  service: ServiceName,
  request: CorsRequest,
  storageCors: boolean,
): SandboxResponse {
  const requestedHeaders = request.headers['access-control-request-headers'];
  const origin = request.headers.origin;
  switch (service) {
    case 'convertapi':
      return noContent({
        ...corsResponseHeaders(service, request, storageCors),
        'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
        // [?] The real allow-list is unconfirmed; this is the set ConvertAPI's own browser clients need.
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, Content-Disposition, Accept',
        'Access-Control-Max-Age': MAX_AGE_SECONDS,
      });
    case 'cloudconvert-api':
    case 'cloudconvert-sync':
    case 'cloudconvert-oauth':
      // [?] Laravel's CORS middleware with allowed methods/headers `*` reflects what was asked for.
      return noContent({
        Vary: 'Origin',
        'Access-Control-Allow-Credentials': 'true',
        ...echoOrigin(origin),
        'Access-Control-Allow-Methods': request.headers['access-control-request-method'] ?? 'GET',
        ...(requestedHeaders ? { 'Access-Control-Allow-Headers': requestedHeaders } : {}),
        'Access-Control-Max-Age': MAX_AGE_SECONDS,
      });
    case 'cloudconvert-storage':
      if (!storageCors || !origin) return { status: 403, headers: { Vary: 'Origin' } };
      return noContent({
        Vary: 'Origin',
        ...echoOrigin(origin),
        'Access-Control-Allow-Methods': 'GET, PUT, POST, DELETE, HEAD',
        ...(requestedHeaders ? { 'Access-Control-Allow-Headers': requestedHeaders } : {}),
        'Access-Control-Max-Age': MAX_AGE_SECONDS,
      });
  }
}

/** Permissive CORS for the sandbox's own control routes, so browser tests can drive them. */
export function controlCorsHeaders(request: CorsRequest): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': request.headers.origin ?? '*',
    Vary: 'Origin',
    'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': request.headers['access-control-request-headers'] ?? 'Content-Type',
    'Access-Control-Max-Age': MAX_AGE_SECONDS,
  };
}

function echoOrigin(origin: string | undefined): Record<string, string> {
  return origin ? { 'Access-Control-Allow-Origin': origin } : {};
}

function noContent(headers: Record<string, string>): SandboxResponse {
  return { status: 204, headers };
}
