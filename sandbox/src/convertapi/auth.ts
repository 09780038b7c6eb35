import type { CredentialUse, SandboxRequest } from '../types.js';
import type { ConvertApiContext } from './context.js';
import { errors } from './errors.js';
import { looksLikeJwt, verifyJwt } from './jwt.js';
import { queryValue } from './query.js';
import { TOKEN_ID_LENGTH } from './tokens.js';
import { combineReservations } from './usage.js';
import type { Reservation } from './usage.js';

type CredentialKind = 'secret' | 'token' | 'jwt';

interface PresentedCredential {
  kind: CredentialKind;
  where: 'header' | 'query';
  value: string;
}

/**
 * The credential a request carries: `Authorization: Bearer` (the server tells a secret, a token and a
 * JWT apart) or the legacy `Secret=` / `Token=` query parameters (docs/convertapi.md §5: JWTs only as Bearer).
 */
function presentedCredential(
  request: SandboxRequest,
  context: ConvertApiContext,
): PresentedCredential | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  if (bearer) return { kind: bearerKind(bearer, context), where: 'header', value: bearer };
  const secret = queryValue(request.url, 'Secret');
  if (secret) return { kind: 'secret', where: 'query', value: secret };
  const token = queryValue(request.url, 'Token');
  if (token) return { kind: 'token', where: 'query', value: token };
  return undefined;
}

function bearerKind(value: string, context: ConvertApiContext): CredentialKind {
  if (context.account.isSecret(value)) return 'secret';
  if (looksLikeJwt(value)) return 'jwt';
  if (context.tokens.get(value)) return 'token';
  // [?] An unknown string: the real server's guess is unobservable; token-sized strings get the
  // token error (4011), anything else the secret error (4010).
  return value.length === TOKEN_ID_LENGTH ? 'token' : 'secret';
}

/** Records how the caller authenticated (kind and place, never the value) for the request log. */
export function noteCredential(request: SandboxRequest, context: ConvertApiContext): void {
  const presented = presentedCredential(request, context);
  request.credential = presented
    ? { kind: presented.kind, where: presented.where }
    : ({ kind: 'none', where: 'none' } satisfies CredentialUse);
}

/** Routes that manage the account (`/user`, `/token/*`) take the secret only (docs/convertapi.md §5-6). */
export function requireSecret(request: SandboxRequest, context: ConvertApiContext): void {
  noteCredential(request, context);
  const presented = presentedCredential(request, context);
  if (!presented) throw errors.missingCredentials();
  if (presented.kind === 'secret' && context.account.isSecret(presented.value)) return;
  // [?] A valid token or JWT on an account route: refused with the error of its own kind.
  throw presented.kind === 'token'
    ? errors.badToken()
    : presented.kind === 'jwt'
      ? errors.badJwt()
      : errors.badSecret();
}

/**
 * Authenticates a conversion and reserves what it will use: one request of a token or JWT and one
 * conversion of the account's balance. Commit the reservation when the conversion succeeds.
 */
export async function authorizeConversion(
  request: SandboxRequest,
  context: ConvertApiContext,
): Promise<Reservation> {
  noteCredential(request, context);
  const presented = presentedCredential(request, context);
  if (!presented) throw errors.missingCredentials();
  const uses = await credentialUses(presented, request, context);
  const use = uses?.tryReserve();
  if (uses && !use) throw presented.kind === 'jwt' ? errors.badJwt() : errors.badToken();
  // 4014 is documented both as "user inactive" and as "conversion balance is zero"; the sandbox
  // emulates the balance meaning (the element maps it to `quota-exceeded`).
  const conversion = context.account.conversions.tryReserve();
  if (!conversion) {
    use?.release();
    throw errors.balanceZero();
  }
  return use ? combineReservations(conversion, use) : conversion;
}

async function credentialUses(
  presented: PresentedCredential,
  request: SandboxRequest,
  context: ConvertApiContext,
) {
  switch (presented.kind) {
    case 'secret':
      if (!context.account.isSecret(presented.value)) throw errors.badSecret();
      return undefined;
    case 'token': {
      const token = context.tokens.get(presented.value);
      if (!token) throw errors.badToken();
      return token.uses;
    }
    case 'jwt': {
      const jwt = await verifyJwt(presented.value, context.account, request.clientIp);
      return context.jwtUsage.counterFor(jwt);
    }
  }
}
