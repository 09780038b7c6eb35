import { base64url } from 'jose';
import { cookieName, readCookie, serializeCookie } from './cookies.js';
import { deriveKey } from './derived-keys.js';
import { randomToken } from './random.js';

/** How long a visitor keeps its identity (and so its CloudConvert connection), in seconds: 180 days. */
export const VISITOR_COOKIE_MAX_AGE = 180 * 24 * 3600;

/** Identifies browsers by a random id in a signed, HttpOnly cookie. */
export interface VisitorCookies {
  /** The visitor id from a valid cookie, or `undefined` (no cookie, or a forged or foreign one). */
  read(request: Request): Promise<string | undefined>;
  /** A fresh visitor id and the `Set-Cookie` value carrying it. */
  create(): Promise<{ visitorId: string; setCookie: string }>;
}

/** A Web Crypto key, as `crypto.subtle.importKey` gives it (the DOM's `CryptoKey`, named without the DOM's types). */
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/**
 * Visitor cookies signed with HMAC-SHA-256 under keys derived from `secrets` for `purpose` (sign with the first,
 * accept any), named `baseName` (with the `__Host-` prefix when `secure`).
 */
export function createVisitorCookies(
  secrets: readonly string[],
  secure: boolean,
  baseName = 'convert-uploader-visitor',
  purpose = 'visitor-cookie',
): VisitorCookies {
  const name = cookieName(baseName, secure);
  let keys: Promise<HmacKey[]> | undefined;
  const hmacKeys = (): Promise<HmacKey[]> =>
    (keys ??= Promise.all(
      secrets.map(async (secret) =>
        crypto.subtle.importKey(
          'raw',
          await deriveKey(secret, purpose),
          { name: 'HMAC', hash: 'SHA-256' },
          false,
          ['sign', 'verify'],
        ),
      ),
    ));

  return {
    async read(request) {
      const [visitorId, signature, ...rest] = (readCookie(request, name) ?? '').split('.');
      if (!visitorId || !signature || rest.length > 0 || !/^[A-Za-z0-9_-]{43}$/.test(visitorId))
        return undefined;
      let signatureBytes: Uint8Array<ArrayBuffer>;
      try {
        signatureBytes = new Uint8Array(base64url.decode(signature));
      } catch {
        return undefined;
      }
      for (const key of await hmacKeys()) {
        if (await crypto.subtle.verify('HMAC', key, signatureBytes, new TextEncoder().encode(visitorId)))
          return visitorId;
      }
      return undefined;
    },
    async create() {
      const visitorId = randomToken(32);
      const [key] = await hmacKeys();
      const signature = await crypto.subtle.sign('HMAC', key as HmacKey, new TextEncoder().encode(visitorId));
      const value = `${visitorId}.${base64url.encode(new Uint8Array(signature))}`;
      return {
        visitorId,
        setCookie: serializeCookie(name, value, { maxAge: VISITOR_COOKIE_MAX_AGE, secure }),
      };
    },
  };
}
