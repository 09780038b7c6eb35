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
  /** Whether the request's `Host` is one of `allowedHosts` (always true without that option). */
  hostAllowed(request: Request): boolean;
}

const DEFAULT_ALLOWED_HEADERS = ['Content-Type'];
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

/**
 * Builds the origin policy from `allowedOrigins` (exact origins such as `https://shop.example`, in addition to the
 * endpoint's own origin) and `allowedHeaders` (request headers a cross-origin page may send, besides
 * `Content-Type`). Refuses `*`: the endpoints answer credentialed requests, and a wildcard would let any site
 * obtain credentials on its visitors' behalf.
 */
export function createOriginPolicy(
  allowedOrigins: unknown,
  allowedHeaders: unknown,
  { publicOrigin, allowedHosts }: { publicOrigin?: unknown; allowedHosts?: unknown } = {},
): OriginPolicy {
  const origins = new Set(parseAllowedOrigins(allowedOrigins, 'allowedOrigins'));
  const headers = parseAllowedHeaders(allowedHeaders);
  const ownOrigins =
    publicOrigin === undefined
      ? undefined
      : new Set(
          parseAllowedOrigins(
            typeof publicOrigin === 'string' ? [publicOrigin] : publicOrigin,
            'publicOrigin',
          ),
        );
  if (ownOrigins?.size === 0) throw new ConfigurationError('The option "publicOrigin" must name an origin.');
  const hosts = parseAllowedHosts(allowedHosts);

  const verdict = (request: Request): OriginVerdict => {
    const origin = request.headers.get('origin');
    const fetchSite = request.headers.get('sec-fetch-site');
    if (origin === null) {
      if (fetchSite === null) return { kind: 'non-browser' };
      return fetchSite === 'same-origin' || fetchSite === 'none'
        ? { kind: 'same-origin' }
        : { kind: 'refused' };
    }
    // With publicOrigin, the Host header (which names the request URL) has no say: a page on a rebinding domain
    // is same-origin with its own Host, and its browser says so, but its Origin is not the site's.
    if (ownOrigins !== undefined) {
      if (ownOrigins.has(origin)) return { kind: 'same-origin' };
      return origins.has(origin) ? { kind: 'cross-origin', origin } : { kind: 'refused' };
    }
    if (origin === new URL(request.url).origin) return { kind: 'same-origin' };
    if (origins.has(origin)) return { kind: 'cross-origin', origin };
    // Behind a proxy the request URL may not carry the public origin; the browser's own same-origin verdict can.
    if (fetchSite === 'same-origin' && origin !== 'null') return { kind: 'same-origin' };
    return { kind: 'refused' };
  };

  const hostAllowed = (request: Request): boolean => {
    if (hosts === undefined) return true;
    const url = new URL(request.url);
    const defaultPort = url.protocol === 'https:' ? '443' : '80';
    return hosts.has(url.host) || (url.port === '' && hosts.has(`${url.hostname}:${defaultPort}`));
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

  return { verdict, corsHeaders, preflight, hostAllowed };
}

function parseAllowedOrigins(value: unknown, option: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new ConfigurationError(`The option "${option}" must be an array of origins.`);
  return value.map((entry: unknown) => {
    if (entry === '*') {
      throw new ConfigurationError(
        `The option "${option}" must not contain "*": the endpoints answer credentialed requests, list the origins instead.`,
      );
    }
    if (typeof entry !== 'string')
      throw new ConfigurationError(`The option "${option}" must contain strings.`);
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new ConfigurationError(`The option "${option}" contains "${entry}", which is not an origin.`);
    }
    if (url.origin !== entry.replace(/\/$/, '') || url.origin === 'null') {
      throw new ConfigurationError(
        `The option "${option}" contains "${entry}": give only scheme, host and port, e.g. "https://shop.example".`,
      );
    }
    if (secureUrl(url) === undefined) {
      throw new ConfigurationError(
        `The option "${option}" contains "${entry}": origins must use https: (plain http: only on loopback hosts).`,
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

/** `allowedHosts`: `host` or `host:port` names, compared case-insensitively with the request's `Host`. */
function parseAllowedHosts(value: unknown): Set<string> | undefined {
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every(
      (host) => typeof host === 'string' && /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i.test(host),
    )
  ) {
    throw new ConfigurationError(
      'The option "allowedHosts" must be a non-empty array of host names, e.g. ["site.example"] or ["localhost:3000"].',
    );
  }
  // Written as a URL writes a host (lower case, IPv6 canonical); `:443` is kept, `:80` dropped.
  return new Set((value as string[]).map((host) => new URL(`http://${host}`).host));
}
