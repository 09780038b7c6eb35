import { SignJWT } from 'jose';
import { convertApiJwtPayload, type ConvertApiClaims } from './convertapi-claims.js';

/** Signs ConvertAPI's self-signed JWT (HS256 with the account secret), without calling ConvertAPI. */
export function signConvertApiJwt(secret: string, claims: ConvertApiClaims): Promise<string> {
  return new SignJWT(convertApiJwtPayload(claims))
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}
