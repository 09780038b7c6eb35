import { isIPv4, isIPv6 } from 'node:net';
import { basename } from 'node:path';
import { contentDispositionFilename } from './body.js';

/** A URL the sandbox will not fetch: it never reaches beyond the loopback. */
export class NotLoopbackError extends Error {
  constructor(readonly url: URL) {
    super(
      `The sandbox fetches URLs on the loopback only (localhost, 127.0.0.0/8, [::1]), never ${url.host}: ` +
        'serve the page from this machine, or upload the file instead',
    );
    this.name = 'NotLoopbackError';
  }
}

/** The page could not be fetched (refused, HTTP error, too many redirects). */
export class FetchFailedError extends Error {
  override name = 'FetchFailedError';
}

/** A fetched file: its bytes, its media type (without parameters) and the name the server gave it. */
export interface FetchedFile {
  data: Buffer;
  contentType: string | undefined;
  /** From `Content-Disposition`, else the last path segment; `undefined` when neither names it. */
  filename: string | undefined;
  /** The URL finally fetched, after redirects. */
  url: URL;
}

const MAX_REDIRECTS = 5;

/**
 * Whether the URL is http(s) on the loopback: `localhost` (and `*.localhost`, which resolvers must
 * keep on the loopback, RFC 6761 §6.3), an IPv4 address in 127.0.0.0/8, or `[::1]`. Decided from the
 * URL alone, without a DNS lookup, so no name can be made to point elsewhere.
 */
export function isLoopbackUrl(url: URL): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  const host = url.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIPv4(host)) return host.split('.')[0] === '127';
  if (isIPv6(host)) return host === '::1' || /^::ffff:127\./.test(host);
  return false;
}

/**
 * Fetches a URL that `allowed` accepts (by default: on the loopback), following up to five redirects,
 * each checked again before it is followed.
 * @throws NotLoopbackError for a URL (or a redirect) outside what is allowed
 * @throws FetchFailedError when the server cannot be reached or answers an error
 */
export async function fetchAllowed(
  start: URL,
  options: { headers?: Record<string, string>; allowed?: (url: URL) => boolean } = {},
): Promise<FetchedFile> {
  const allowed = options.allowed ?? isLoopbackUrl;
  let url = start;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (!allowed(url)) throw new NotLoopbackError(url);
    const response = await fetch(url, { headers: options.headers ?? {}, redirect: 'manual' }).catch(
      (error: unknown) => {
        throw new FetchFailedError(`Could not reach ${url.host}: ${(error as Error).message}`, {
          cause: error,
        });
      },
    );
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      url = new URL(location, url);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new FetchFailedError(`${url.host} answered HTTP ${response.status}`);
    }
    return {
      data: Buffer.from(await response.arrayBuffer()),
      contentType: response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() || undefined,
      filename: fileNameOf(response, url),
      url,
    };
  }
  throw new FetchFailedError(`More than ${MAX_REDIRECTS} redirects from ${start.host}`);
}

function fileNameOf(response: Response, url: URL): string | undefined {
  const named = contentDispositionFilename(response.headers.get('content-disposition') ?? undefined);
  if (named) return named;
  const segment = url.pathname.split('/').pop() ?? '';
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A malformed escape: the segment as written.
  }
  // An encoded slash must not smuggle a folder into the name.
  const name = basename(decoded.replace(/\\/g, '/'));
  return name === '' || name === '.' || name === '..' ? undefined : name;
}
