/**
 * `localhost` and its subdomains, `127.0.0.0/8` and `::1`: any case, IPv6 with or without brackets (a
 * `URL`'s `hostname` keeps them), names with or without the trailing dot of a fully qualified name.
 */
const loopbackHost = /^(?:\[::1\]|::1|(?:.+\.)?localhost\.?|127(?:\.\d{1,3}){3})$/i;

/** True for hosts that only this machine can reach, where plain `http:` is acceptable for development. */
export function isLoopbackHost(hostname: string): boolean {
  return loopbackHost.test(hostname);
}

/**
 * Resolves `url` against `base` and returns it when it is `https:`, or `http:` on a loopback host, and
 * carries no user name or password; otherwise `undefined`. Credentials and visitors' files travel only
 * to such URLs, and the server kit accepts only such service and origin URLs.
 */
export function secureUrl(url: string | URL, base?: string): URL | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url, base);
  } catch {
    return undefined;
  }
  if (parsed.username || parsed.password) return undefined;
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return parsed;
  return undefined;
}
