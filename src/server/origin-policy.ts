import { secureUrl } from '../contract/url-policy.js';
import { ConfigurationError } from './errors.js';
import { errorResponse, NO_STORE_HEADERS } from './responses.js';

/**
 * Where a request comes from, as far as the origin policy can tell:
 * - `cross-origin`: a browser page on one of `allowedOrigins` (answered with CORS headers);
 * - `same-origin`: a browser page on the endpoint's own origin;
 * - `non-browser`: no `Origin` and no `Sec-Fetch-Site` (curl, a server, a test), which no web page can forge;
 * - `refused`: a browser page anywhere else.
 */
export type OriginVerdict =
  | { readonly kind: 'cross-origin'; readonly origin: string }
  | { readonly kind: 'same-origin' }
  | { readonly kind: 'non-browser' }
  | { readonly kind: 'refused' };

/** The origin allowlist of one handler: request classification, CORS headers and preflight answers. */
export interface OriginPolicy {
  /** Classifies `request` (see {@link OriginVerdict}). */
  verdict(request: Request): OriginVerdict;
  /** The CORS headers for an answer to a request with this verdict (none unless cross-origin). */
  corsHeaders(verdict: OriginVerdict): Record<string, string>;
  /** The answer to an `OPTIONS` preflight for a route that accepts `methods`. */
  preflight(request: Request, methods: readonly string[]): Response;
}

const DEFAULT_ALLOWED_HEADERS = ['Content-Type'];
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * Builds the origin policy from `allowedOrigins` (exact origins such as `https://shop.example`, in addition to the
 * endpoint's own origin) and `allowedHeaders` (request headers a cross-origin page may send, besides
 * `Content-Type`). Refuses `*`: the endpoints answer credentialed requests, and a wildcard would let any site
 * obtain credentials on its visitors' behalf.
 */
export function createOriginPolicy(allowedOrigins: unknown, allowedHeaders: unknown): OriginPolicy {
  const origins = new Set(parseAllowedOrigins(allowedOrigins));
  const headers = parseAllowedHeaders(allowedHeaders);

  const verdict = (request: Request): OriginVerdict => {
    const origin = request.headers.get('origin');
    const fetchSite = request.headers.get('sec-fetch-site');
    if (origin === null) {
      if (fetchSite === null) return { kind: 'non-browser' };
      return fetchSite === 'same-origin' || fetchSite === 'none'
        ? { kind: 'same-origin' }
        : { kind: 'refused' };
    }
    if (origin === new URL(request.url).origin) return { kind: 'same-origin' };
    if (origins.has(origin)) return { kind: 'cross-origin', origin };
    // Behind a proxy the request URL may not carry the public origin; the browser's own same-origin verdict can.
    if (fetchSite === 'same-origin' && origin !== 'null') return { kind: 'same-origin' };
    return { kind: 'refused' };
  };

  const corsHeaders = (result: OriginVerdict): Record<string, string> => {
    if (result.kind !== 'cross-origin') return origins.size > 0 ? { Vary: 'Origin' } : {};
    return {
      'Access-Control-Allow-Origin': result.origin,
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Expose-Headers': 'Retry-After',
      Vary: 'Origin',
    };
  };

  const preflight = (request: Request, methods: readonly string[]): Response => {
    const result = verdict(request);
    if (result.kind !== 'cross-origin') {
      return errorResponse(403, 'origin-not-allowed', 'This origin may not use this endpoint.');
    }
    return new Response(null, {
      status: 204,
      headers: {
        ...NO_STORE_HEADERS,
        ...corsHeaders(result),
        'Access-Control-Allow-Methods': methods.join(', '),
        'Access-Control-Allow-Headers': headers.join(', '),
        'Access-Control-Max-Age': '600',
      },
    });
  };

  return { verdict, corsHeaders, preflight };
}

function parseAllowedOrigins(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new ConfigurationError('The option "allowedOrigins" must be an array of origins.');
  return value.map((entry: unknown) => {
    if (entry === '*') {
      throw new ConfigurationError(
        'The option "allowedOrigins" must not contain "*": the endpoints answer credentialed requests, list the origins instead.',
      );
    }
    if (typeof entry !== 'string')
      throw new ConfigurationError('The option "allowedOrigins" must contain strings.');
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new ConfigurationError(
        `The option "allowedOrigins" contains "${entry}", which is not an origin.`,
      );
    }
    if (url.origin !== entry.replace(/\/$/, '') || url.origin === 'null') {
      throw new ConfigurationError(
        `The option "allowedOrigins" contains "${entry}": give only scheme, host and port, e.g. "https://shop.example".`,
      );
    }
    if (secureUrl(url) === undefined) {
      throw new ConfigurationError(
        `The option "allowedOrigins" contains "${entry}": origins must use https: (plain http: only on loopback hosts).`,
      );
    }
    return url.origin;
  });
}

function parseAllowedHeaders(value: unknown): string[] {
  if (value === undefined) return DEFAULT_ALLOWED_HEADERS;
  if (!Array.isArray(value) || !value.every((name) => typeof name === 'string' && HEADER_NAME.test(name))) {
    throw new ConfigurationError('The option "allowedHeaders" must be an array of header names.');
  }
  const names = new Map(
    [...DEFAULT_ALLOWED_HEADERS, ...(value as string[])].map((name) => [name.toLowerCase(), name]),
  );
  return [...names.values()];
}
