/** How a handler learns the client's IP address from a request; `undefined` when it cannot tell. */
export type ClientIpResolver = (request: Request) => string | undefined;

const connectionAddresses = new WeakMap<Request, string>();

/**
 * Records the address of the TCP peer that sent `request`. Adapters that own the socket (such as
 * `toNodeListener`) call it; it cannot be set from anything a client sends.
 */
export function rememberConnectionAddress(request: Request, address: string | undefined): void {
  if (address !== undefined && address !== '') connectionAddresses.set(request, normalizeIp(address));
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
    const value = request.headers.get(headerName)?.trim();
    return value ? normalizeIp(value) : undefined;
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
    return hop === undefined ? undefined : normalizeIp(hop);
  };
}

/** Removes the IPv4-mapped IPv6 prefix (`::ffff:127.0.0.1` → `127.0.0.1`). */
function normalizeIp(address: string): string {
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}
