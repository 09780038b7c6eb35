const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for hosts that never leave the machine, where plain http is acceptable for development. */
export function isLoopbackHost(hostname: string): boolean {
  return (
    loopbackHosts.has(hostname) || hostname.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(hostname)
  );
}

/**
 * Resolves `url` against `base` and returns it when it is https, or http on a loopback host;
 * otherwise undefined. Credentials and visitors' files only travel to such URLs.
 */
export function secureUrl(url: string, base?: string): URL | undefined {
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
