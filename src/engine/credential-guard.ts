import { isNonBlankString, isRecord, parseJsonObject } from '../contract/guards.js';
import type { ProviderName } from '../contract/token-request.js';
import { ConvertError } from './errors.js';

/**
 * A credential that passed the guard, as its provider's parser made it from the endpoint's answer. The engine
 * reads only these fields; the rest is the provider's (a token's value, a server job).
 */
export interface Credential {
  /** The provider's name for this kind of credential. */
  readonly kind: string;
  /** When it expires (ms since the epoch); undefined for a credential that does not say. */
  readonly expiresAt: number | undefined;
  /** How many requests it serves; undefined: as many as its lifetime allows. */
  readonly uses?: number;
  /** It serves only the files of the batch it was issued for (a CloudConvert server job). */
  readonly batchScoped?: boolean;
}

/**
 * A provider's half of the guard: turns an answer that passed the generic checks (an object, no secret-like
 * field, for this provider) into its credential, refusing (with `rejectAnswer`) what is not short-lived.
 */
export type CredentialParser = (answer: Record<string, unknown>, options: GuardOptions) => Credential;

/**
 * Parts of field names that only a long-lived secret would have (`secretKey`, `api_secret`, `privateKey`,
 * `credentials`…, compared lower-case without `-`, `_` and spaces); an answer carrying one is refused.
 */
const secretLikeNameParts = ['secret', 'apikey', 'privatekey', 'refreshtoken', 'password', 'credential'];
const maxInspectedDepth = 32;

export interface GuardOptions {
  provider: ProviderName;
  /** The provider's parser (providers/registry.ts). */
  parse: CredentialParser;
  /** Longest acceptable remaining lifetime, in seconds. */
  maxLifetimeSeconds: number;
  /** Base for a relative `statusUrl` (the page's URL). */
  baseUrl: string;
  now?: () => number;
}

/** Refuses the endpoint's answer with `token-rejected`, saying why (for developers). */
export function rejectAnswer(reason: string): never {
  throw new ConvertError('token-rejected', `The token endpoint's answer was refused: ${reason}.`);
}

function normalizedName(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

function findSecretLikeField(value: unknown, depth = 0): string | undefined {
  if (depth > maxInspectedDepth) rejectAnswer('it is nested too deeply');
  if (Array.isArray(value)) {
    for (const entry of value) {
      const found = findSecretLikeField(entry, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (!isRecord(value)) return undefined;
  for (const [name, entry] of Object.entries(value)) {
    const normalized = normalizedName(name);
    // The fields of an S3 presigned upload form (a server job's import/upload task) are made for browsers:
    // `X-Amz-Credential` is an access key id and a scope, not a secret.
    const isUploadFormField = normalized.startsWith('xamz');
    if (!isUploadFormField && secretLikeNameParts.some((part) => normalized.includes(part))) return name;
    const found = findSecretLikeField(entry, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export function parseInstant(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value === 'string' && value.trim() !== '') {
    const asNumber = Number(value);
    if (Number.isFinite(asNumber)) return asNumber * 1000;
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

export interface DecodedJwt {
  expiresAt: number | undefined;
  requestCount: number | undefined;
}

/**
 * One base64url JSON segment of a JWT, when it is an object. Decoded here rather than with jose: the browser
 * only reads claims, the service verifies them (docs/decisions.md).
 */
function decodeSegment(segment: string | undefined): Record<string, unknown> | undefined {
  const binary = atob((segment ?? '').replace(/-/g, '+').replace(/_/g, '/'));
  return parseJsonObject(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
}

/** Decodes a JWT's claims without verifying it (the service verifies); undefined when not a JWT. */
export function decodeJwtClaims(token: string): DecodedJwt | undefined {
  const [header, payload, ...rest] = token.split('.');
  if (rest.length !== 1) return undefined;
  try {
    const claims = decodeSegment(header) && decodeSegment(payload);
    if (!claims) return undefined;
    const expiresAt = parseInstant(claims['exp']) ?? parseInstant(claims['ValidUntil']);
    const requestCount = claims['RequestCount'];
    return {
      expiresAt,
      requestCount:
        typeof requestCount === 'number' && Number.isInteger(requestCount) ? requestCount : undefined,
    };
  } catch {
    return undefined;
  }
}

export function checkLifetime(expiresAt: number | undefined, options: GuardOptions, what: string): number {
  const now = (options.now ?? Date.now)();
  if (expiresAt === undefined) rejectAnswer(`the ${what} has no expiry`);
  if (expiresAt <= now) rejectAnswer(`the ${what} has already expired`);
  if (expiresAt - now > options.maxLifetimeSeconds * 1000) {
    rejectAnswer(`the ${what} stays valid longer than ${options.maxLifetimeSeconds} seconds`);
  }
  return expiresAt;
}

/**
 * The expiry a credential carries: the endpoint's `expiresAt` for an opaque token; for a JWT its own
 * claim, which must itself be near (a CloudConvert API key with a near `expiresAt` beside it is still
 * an API key), or the stated one when that is earlier.
 */
export function credentialExpiry(
  jwt: DecodedJwt | undefined,
  expiresAtField: unknown,
  options: GuardOptions,
): number | undefined {
  const stated = parseInstant(expiresAtField);
  if (!jwt) return stated;
  if (jwt.expiresAt === undefined) return undefined;
  checkLifetime(jwt.expiresAt, options, 'token');
  return stated === undefined ? jwt.expiresAt : Math.min(jwt.expiresAt, stated);
}

export function nonEmptyString(value: unknown, field: string): string {
  if (!isNonBlankString(value)) rejectAnswer(`\`${field}\` is missing`);
  if (value.length > 16_384) rejectAnswer(`\`${field}\` is too long`);
  return value;
}

/** A token as the endpoint gave it, without a `Bearer ` prefix (which would hide a JWT from the checks). */
export function bareToken(value: unknown, field: string): string {
  return nonEmptyString(nonEmptyString(value, field).replace(/^\s*bearer\s+/i, ''), field);
}

/**
 * Checks a token endpoint's answer and turns it into a credential, refusing anything that is not short-lived:
 * answers carrying secret-like fields or meant for another provider here; JWTs whose `exp`/`ValidUntil` is
 * missing or too far ahead (this refuses CloudConvert API keys), opaque tokens without a near `expiresAt`, and
 * status URLs that are not https (loopback excepted) in the provider's parser, with the helpers below.
 */
export function guardTokenResponse(answer: unknown, options: GuardOptions): Credential {
  // An invalid `max-token-lifetime` (`"1h"` is NaN) would compare false and let any lifetime through.
  if (!(options.maxLifetimeSeconds > 0))
    rejectAnswer('`max-token-lifetime` is not a positive number of seconds');
  if (!isRecord(answer)) rejectAnswer('it is not a JSON object');
  const secretField = findSecretLikeField(answer);
  if (secretField) rejectAnswer(`it carries a secret-like field (\`${secretField}\`)`);
  if (answer['provider'] !== undefined && answer['provider'] !== options.provider) {
    rejectAnswer(`it is for another provider`);
  }

  return options.parse(answer, options);
}
