/**
 * Derives a 256-bit key for one `purpose` from a configured secret (HKDF-SHA-256), so that one secret can safely
 * serve several purposes (job tickets, cookie signatures, refresh-token encryption) without key reuse.
 */
export async function deriveKey(secret: string, purpose: string): Promise<Uint8Array<ArrayBuffer>> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), 'HKDF', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new TextEncoder().encode('convert-uploader/server'),
      info: new TextEncoder().encode(purpose),
    },
    material,
    256,
  );
  return new Uint8Array(bits);
}

/** {@link deriveKey} for each secret of a rotation list, computed once and cached. */
export function derivedKeyList(
  secrets: readonly string[],
  purpose: string,
): () => Promise<readonly Uint8Array[]> {
  let keys: Promise<readonly Uint8Array[]> | undefined;
  return () => (keys ??= Promise.all(secrets.map((secret) => deriveKey(secret, purpose))));
}
