import { UpstreamError } from './errors.js';
import { fetchUpstreamJson, type FetchFunction } from './upstream.js';

/** A ConvertAPI token made by `POST /token/create`. */
export interface CreatedConvertApiToken {
  readonly token: string;
  readonly expiresAt: Date;
}

/**
 * Creates one ConvertAPI token allowing `requestCount` requests for `lifetimeSec` seconds. The secret travels in
 * the `Authorization` header, never in the query string (where it would reach access logs).
 */
export async function createConvertApiToken(
  fetchFn: FetchFunction,
  apiBase: string,
  secret: string,
  requestCount: number,
  lifetimeSec: number,
): Promise<CreatedConvertApiToken> {
  const query = new URLSearchParams({
    RequestCount: String(requestCount),
    Lifetime: String(lifetimeSec),
    Count: '1',
  });
  const body = await fetchUpstreamJson(
    fetchFn,
    `${apiBase}/token/create?${query}`,
    { method: 'POST', headers: { Authorization: `Bearer ${secret}`, Accept: 'application/json' } },
    'ConvertAPI',
  );
  const first = (body as { Tokens?: unknown }).Tokens;
  const created = Array.isArray(first)
    ? (first[0] as { Id?: unknown; ValidUntil?: unknown } | undefined)
    : undefined;
  const expiresAt =
    typeof created?.ValidUntil === 'string' ? parseUtcTimestamp(created.ValidUntil) : undefined;
  if (typeof created?.Id !== 'string' || created.Id === '' || expiresAt === undefined) {
    throw new UpstreamError('ConvertAPI answered /token/create without a token.');
  }
  return { token: created.Id, expiresAt };
}

/** Parses an ISO timestamp; one without a zone (as .NET may write) is taken as UTC. */
function parseUtcTimestamp(text: string): Date | undefined {
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text}Z`;
  const time = Date.parse(zoned);
  return Number.isNaN(time) ? undefined : new Date(time);
}
