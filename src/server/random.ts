import { base64url } from 'jose';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` random letters and digits from the platform CSPRNG, without modulo bias. */
export function randomAlphanumeric(length: number): string {
  let result = '';
  while (result.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      // 248 = 4 × 62: bytes at or above it would favour the first characters.
      if (byte < 248 && result.length < length) result += ALPHANUMERIC.charAt(byte % ALPHANUMERIC.length);
    }
  }
  return result;
}

/** `bytes` random bytes from the platform CSPRNG, base64url-encoded. */
export function randomToken(bytes = 32): string {
  return base64url.encode(crypto.getRandomValues(new Uint8Array(bytes)));
}
