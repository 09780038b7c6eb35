/** Attributes of a cookie the server kit sets. */
export interface CookieAttributes {
  /** Seconds until it expires; `0` deletes it. */
  readonly maxAge: number;
  /** `Secure` (always, except for plain-http development on loopback hosts). */
  readonly secure: boolean;
}

/** The value of cookie `name` in `request`'s `Cookie` header, if present. */
export function readCookie(request: Request, name: string): string | undefined {
  for (const pair of (request.headers.get('cookie') ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return undefined;
}

/** A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, and Secure unless told otherwise. */
export function serializeCookie(name: string, value: string, { maxAge, secure }: CookieAttributes): string {
  return `${name}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/**
 * The cookie name to use: with the `__Host-` prefix when `secure` (the browser then guarantees the cookie was set
 * by this host over HTTPS, for path `/`, and cannot be overwritten by a sibling subdomain).
 */
export function cookieName(baseName: string, secure: boolean): string {
  return secure ? `__Host-${baseName}` : baseName;
}
