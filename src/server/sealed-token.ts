import { EncryptJWT, errors, jwtDecrypt, type JWTPayload } from 'jose';
import { derivedKeyList } from './derived-keys.js';

/** The outcome of opening a sealed token. */
export type Opened =
  | { readonly ok: true; readonly payload: JWTPayload }
  | { readonly ok: false; readonly reason: 'expired' | 'invalid' };

/** Seals payloads into encrypted, authenticated tokens (JWE, `dir` + `A256GCM`) for one purpose. */
export interface Sealer {
  /** Encrypts `payload` with the current key; `lifetimeSec` sets `exp`, and `subject` binds it to one subject. */
  seal(payload: JWTPayload, options?: { lifetimeSec?: number; subject?: string }): Promise<string>;
  /** Decrypts with any key of the rotation list; refuses other purposes, other subjects and expired tokens. */
  open(token: string, options?: { subject?: string }): Promise<Opened>;
}

/**
 * A {@link Sealer} whose keys are derived from `secrets` (current first) for `purpose`: a token sealed for one
 * purpose (a job ticket) cannot be replayed as another (a stored refresh token), even with the same secret.
 */
export function createSealer(secrets: readonly string[], purpose: string): Sealer {
  const keys = derivedKeyList(secrets, purpose);
  const audience = `convert-uploader/${purpose}`;
  return {
    async seal(payload, { lifetimeSec, subject } = {}) {
      const [key] = await keys();
      const now = Math.floor(Date.now() / 1000);
      const jwt = new EncryptJWT(payload)
        .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
        .setAudience(audience)
        .setIssuedAt(now);
      if (lifetimeSec !== undefined) jwt.setExpirationTime(now + lifetimeSec);
      if (subject !== undefined) jwt.setSubject(subject);
      return jwt.encrypt(key as Uint8Array);
    },
    async open(token, { subject } = {}) {
      for (const key of await keys()) {
        try {
          const { payload } = await jwtDecrypt(token, key, {
            audience,
            keyManagementAlgorithms: ['dir'],
            contentEncryptionAlgorithms: ['A256GCM'],
            ...(subject === undefined ? {} : { subject }),
          });
          return { ok: true, payload };
        } catch (error) {
          if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
          if (error instanceof errors.JWTClaimValidationFailed) return { ok: false, reason: 'invalid' };
        }
      }
      return { ok: false, reason: 'invalid' };
    },
  };
}
