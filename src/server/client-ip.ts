import { canonicalIp } from './ip-address.js';

/**
 * How a handler learns the client's IP address from a request; `undefined` when it cannot tell. IP addresses are
 * compared in canonical form (see `canonicalIp`); a resolver of your own may also return another stable key,
 * such as a user id, which is used as it is.
 */
export type ClientIpResolver = (request: Request) => string | undefined;

const connectionAddresses = new WeakMap<Request, string>();

/**
 * Records the address of the TCP peer that sent `request`, for the default resolver {@link connectionClientIp}.
 * `toNodeListener` calls it; on Deno and Bun, call it before the handler with `info.remoteAddr.hostname` or
 * `server.requestIP(request)?.address`. It cannot be set from anything a client sends.
 */
export function rememberConnectionAddress(request: Request, address: string | undefined): void {
  const canonical = address === undefined ? undefined : canonicalIp(address);
  if (canonical !== undefined) connectionAddresses.set(request, canonical);
}

/**
 * The default resolver: the address of the TCP peer as recorded by `toNodeListener`, and nothing else. No
 * forwarding header is trusted by default, because any client can send one; behind a proxy or on an edge
 * runtime, pass {@link clientIpFromHeader} or {@link clientIpFromForwardedFor} as `clientIp`.
 */
export const connectionClientIp: ClientIpResolver = (request) => connectionAddresses.get(request);

/**
 * A resolver reading a header that your platform sets and clients cannot (e.g. `cf-connecting-ip` on
 * Cloudflare, `fly-client-ip` on Fly.io). Only use it where the platform overwrites that header.
 */
export function clientIpFromHeader(headerName: string): ClientIpResolver {
  return (request) => {
    const value = request.headers.get(headerName);
    return value === null ? undefined : canonicalIp(value);
  };
}

/**
 * A resolver for a server behind `trustedProxies` reverse proxies that each append to `X-Forwarded-For`: it takes
 * the address the outermost trusted proxy saw, counting from the right, so addresses a client prepends are
 * ignored. With no such header it falls back to the connection address.
 */
export function clientIpFromForwardedFor(trustedProxies = 1): ClientIpResolver {
  if (!Number.isSafeInteger(trustedProxies) || trustedProxies < 1) {
    throw new RangeError('trustedProxies must be a positive integer.');
  }
  return (request) => {
    const hops = (request.headers.get('x-forwarded-for') ?? '')
      .split(',')
      .map((hop) => hop.trim())
      .filter((hop) => hop !== '');
    if (hops.length === 0) return connectionClientIp(request);
    const hop = hops[Math.max(0, hops.length - trustedProxies)];
    return hop === undefined ? undefined : canonicalIp(hop);
  };
}
