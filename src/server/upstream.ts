import { isRecord } from '../contract/guards.js';
import { UpstreamError } from './errors.js';

/** The `fetch` a handler uses to reach a service; injectable for tests and unusual runtimes. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** How long a service may take to answer before the handler gives up. */
export const UPSTREAM_TIMEOUT_MS = 20_000;

/**
 * Calls a service and returns its JSON body when it answers 2xx. Anything else (network failure, timeout,
 * non-2xx, non-JSON) becomes an {@link UpstreamError} carrying only the status and the service's error code.
 */
export async function fetchUpstreamJson(
  fetchFn: FetchFunction,
  url: string,
  init: RequestInit,
  service: string,
): Promise<unknown> {
  let response: Response;
  try {
    // A redirect is never followed (it would carry the credential elsewhere). `manual`, not `error`: Cloudflare
    // Workers refuse `redirect: 'error'` outright, so every upstream call failed there.
    response = await fetchFn(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
    });
  } catch {
    throw new UpstreamError(`${service} could not be reached.`);
  }
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    await response.body?.cancel();
    throw new UpstreamError(`${service} answered with a redirect, which is not followed.`, response.status);
  }
  const body = (await response.json().catch(() => undefined)) as unknown;
  if (!response.ok) {
    const retryAfter = Number(response.headers.get('retry-after') ?? NaN);
    throw new UpstreamError(
      `${service} answered ${response.status}.`,
      response.status,
      upstreamErrorCode(body),
      Number.isFinite(retryAfter) && retryAfter >= 0 ? Math.ceil(retryAfter) : undefined,
    );
  }
  if (body === undefined)
    throw new UpstreamError(`${service} answered something that is not JSON.`, response.status);
  return body;
}

/** The error code a service put in its error body (`code`, `Code` or OAuth's `error`), if any. */
function upstreamErrorCode(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const { code, Code, error } = body;
  const value = code ?? Code ?? error;
  return typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, 64) : undefined;
}
