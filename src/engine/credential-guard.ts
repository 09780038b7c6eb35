import { isNonBlankString, isRecord, parseJsonObject } from '../contract/guards.js';
import type { ProviderName } from '../contract/token-request.js';
import { secureUrl } from '../contract/url-policy.js';
import { ConvertError } from './errors.js';

/** A credential that passed the guard. */
export type Credential =
  | { kind: 'convertapi-token'; secretValue: string; expiresAt: number; uses: number | undefined }
  | { kind: 'cloudconvert-access-token'; secretValue: string; expiresAt: number }
  | { kind: 'cloudconvert-job'; job: unknown; statusUrl: URL; expiresAt: number | undefined };

/**
 * Parts of field names that only a long-lived secret would have (`secretKey`, `api_secret`, `privateKey`,
 * `credentials`…, compared lower-case without `-`, `_` and spaces); an answer carrying one is refused.
 */
const secretLikeNameParts = ['secret', 'apikey', 'privatekey', 'refreshtoken', 'password', 'credential'];
const maxInspectedDepth = 32;

export interface GuardOptions {
  provider: ProviderName;
  /** Longest acceptable remaining lifetime, in seconds. */
  maxLifetimeSeconds: number;
  /** Base for a relative `statusUrl` (the page's URL). */
  baseUrl: string;
  now?: () => number;
}

function reject(reason: string): never {
  throw new ConvertError('token-rejected', `The token endpoint's answer was refused: ${reason}.`, {
    retryable: false,
  });
}

function normalizedName(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

function findSecretLikeField(value: unknown, depth = 0): string | undefined {
  if (depth > maxInspectedDepth) reject('it is nested too deeply');
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
    if (secretLikeNameParts.some((part) => normalized.includes(part))) return name;
    const found = findSecretLikeField(entry, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function parseInstant(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value === 'string' && value.trim() !== '') {
    const asNumber = Number(value);
    if (Number.isFinite(asNumber)) return asNumber * 1000;
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

interface DecodedJwt {
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
function decodeJwtClaims(token: string): DecodedJwt | undefined {
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

function checkLifetime(expiresAt: number | undefined, options: GuardOptions, what: string): number {
  const now = (options.now ?? Date.now)();
  if (expiresAt === undefined) reject(`the ${what} has no expiry`);
  if (expiresAt <= now) reject(`the ${what} has already expired`);
  if (expiresAt - now > options.maxLifetimeSeconds * 1000) {
    reject(`the ${what} stays valid longer than ${options.maxLifetimeSeconds} seconds`);
  }
  return expiresAt;
}

/**
 * The expiry a credential carries: the endpoint's `expiresAt` for an opaque token; for a JWT its own
 * claim, which must itself be near (a CloudConvert API key with a near `expiresAt` beside it is still
 * an API key), or the stated one when that is earlier.
 */
function credentialExpiry(
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

function nonEmptyString(value: unknown, field: string): string {
  if (!isNonBlankString(value)) reject(`\`${field}\` is missing`);
  if (value.length > 16_384) reject(`\`${field}\` is too long`);
  return value;
}

/** A token as the endpoint gave it, without a `Bearer ` prefix (which would hide a JWT from the checks). */
function bareToken(value: unknown, field: string): string {
  return nonEmptyString(nonEmptyString(value, field).replace(/^\s*bearer\s+/i, ''), field);
}

/**
 * Checks a token endpoint's answer and turns it into a credential, refusing anything that is not
 * short-lived: JWTs whose `exp`/`ValidUntil` is missing or too far ahead (this refuses CloudConvert
 * API keys), opaque tokens without a near `expiresAt`, answers carrying secret-like fields, and
 * status URLs that are not https (loopback excepted).
 */
export function guardTokenResponse(answer: unknown, options: GuardOptions): Credential {
  // An invalid `max-token-lifetime` (`"1h"` is NaN) would compare false and let any lifetime through.
  if (!(options.maxLifetimeSeconds > 0)) reject('`max-token-lifetime` is not a positive number of seconds');
  if (!isRecord(answer)) reject('it is not a JSON object');
  const secretField = findSecretLikeField(answer);
  if (secretField) reject(`it carries a secret-like field (\`${secretField}\`)`);
  if (answer['provider'] !== undefined && answer['provider'] !== options.provider) {
    reject(`it is for another provider`);
  }

  if (options.provider === 'convertapi') {
    const token = bareToken(answer['token'], 'token');
    const jwt = decodeJwtClaims(token);
    const expiresAt = checkLifetime(credentialExpiry(jwt, answer['expiresAt'], options), options, 'token');
    const stated = answer['requestCount'];
    const statedUses =
      typeof stated === 'number' && Number.isInteger(stated) && stated > 0 ? stated : undefined;
    const uses =
      jwt?.requestCount !== undefined ? Math.min(jwt.requestCount, statedUses ?? Infinity) : statedUses;
    return { kind: 'convertapi-token', secretValue: token, expiresAt, uses };
  }

  if ('job' in answer || 'statusUrl' in answer) {
    if (!isRecord(answer['job'])) reject('`job` is missing');
    const statusUrl = secureUrl(nonEmptyString(answer['statusUrl'], 'statusUrl'), options.baseUrl);
    if (!statusUrl) reject('`statusUrl` is neither https nor loopback');
    const expiresAt = parseInstant(answer['expiresAt']);
    return { kind: 'cloudconvert-job', job: answer['job'], statusUrl, expiresAt };
  }

  const accessToken = bareToken(answer['accessToken'], 'accessToken');
  const jwt = decodeJwtClaims(accessToken);
  const expiresAt = checkLifetime(
    credentialExpiry(jwt, answer['expiresAt'], options),
    options,
    'access token',
  );
  return { kind: 'cloudconvert-access-token', secretValue: accessToken, expiresAt };
}
