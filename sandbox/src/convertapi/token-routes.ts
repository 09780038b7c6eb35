import type { SandboxRequest, SandboxResponse } from '../types.js';
import { requireSecret } from './auth.js';
import type { ConvertApiContext } from './context.js';
import { errors } from './errors.js';
import type { InvalidParameters } from './errors.js';
import { readParameters } from './parameters.js';
import { formatValidUntil } from './tokens.js';

/** Documented defaults and maxima of `POST /token/create` (docs/convertapi.md §5). */
const LIMITS = {
  requestcount: { name: 'RequestCount', default: 1, max: 999_999_999 },
  lifetime: { name: 'Lifetime', default: 3600, max: 315_569_520 },
  // [?] No maximum is documented for Count; 100 tokens per call keeps a runaway loop in check.
  count: { name: 'Count', default: 1, max: 100 },
} as const;

/**
 * `POST /token/create` with the secret; RequestCount, Lifetime and Count come from the query
 * or the body. Answers `{"Tokens":[{"Id","ValidUntil"}]}`.
 */
export async function handleTokenCreate(
  request: SandboxRequest,
  context: ConvertApiContext,
): Promise<SandboxResponse> {
  requireSecret(request, context);
  const { values, inlineFiles } = await readParameters(request, context.store);
  await Promise.all(inlineFiles.map((file) => context.store.delete(file.id)));
  const invalid: InvalidParameters = {};
  const read = (key: keyof typeof LIMITS): number => {
    const limit = LIMITS[key];
    const raw = values.get(key);
    if (raw === undefined || raw.trim() === '') return limit.default;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < 1 || value > limit.max) {
      invalid[limit.name] = [`The field ${limit.name} must be between 1 and ${limit.max}.`];
    }
    return value;
  };
  const requestCount = read('requestcount');
  const lifetime = read('lifetime');
  const count = read('count');
  if (Object.keys(invalid).length > 0) throw errors.invalidParameters(invalid);
  const tokens = Array.from({ length: count }, () => context.tokens.create(requestCount, lifetime));
  return {
    status: 200,
    body: {
      Tokens: tokens.map((token) => ({ Id: token.id, ValidUntil: formatValidUntil(token.validUntil) })),
    },
  };
}

/**
 * `DELETE /token/{Id}` with the secret. The token id is a credential, so the log shows a placeholder.
 * [?] The success body is undocumented beyond "2001 token deleted"; an unknown token gets 404.
 */
export function handleTokenDelete(
  request: SandboxRequest,
  context: ConvertApiContext,
  tokenId: string,
): SandboxResponse {
  request.logPath = '/token/{id}';
  requireSecret(request, context);
  if (!context.tokens.delete(tokenId))
    return { status: 404, body: { Code: 404, Message: 'Token not found.' } };
  return { status: 200, body: { Code: 2001, Message: 'Token deleted successfully.' } };
}
