import { base64url } from 'jose';
import { randomToken } from './random.js';

/** A PKCE pair (RFC 7636): the verifier stays on the server, the S256 challenge goes to the authorize URL. */
export async function createPkcePair(): Promise<{ verifier: string; challenge: string }> {
  const verifier = randomToken(32);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url.encode(new Uint8Array(digest)) };
}
