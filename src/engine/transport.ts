import { ConvertError, toConvertError } from './errors.js';

/** An HTTP answer with its body as text; what the providers parse. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: BodyInit | null;
  signal?: AbortSignal;
  /** Gives up after this long without an answer. */
  timeoutMs?: number;
  credentials?: RequestCredentials;
}

const defaultTimeoutMs = 60_000;

function withTimeout(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

/** `fetch` with a timeout; network failures become `network`, aborts `canceled`, timeouts `timeout`. */
export async function request(url: string | URL, options: RequestOptions = {}): Promise<HttpAnswer> {
  const signal = withTimeout(options.signal, options.timeoutMs ?? defaultTimeoutMs);
  try {
    const response = await fetch(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      body: options.body ?? null,
      signal,
      credentials: options.credentials ?? 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      // A redirect would carry the request's credential (its Authorization header) to wherever it points.
      redirect: 'error',
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    if (options.signal?.aborted) throw toConvertError(options.signal.reason);
    if (signal.aborted) throw new ConvertError('timeout', `No answer from ${new URL(url).origin} in time.`);
    throw new ConvertError('network', `Could not reach ${new URL(url).origin}.`, { cause: error });
  }
}

/** Parses an answer's body as JSON, or fails with `invalid-response`. */
export function parseJson(answer: HttpAnswer): unknown {
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    throw new ConvertError(
      'invalid-response',
      `Expected JSON, got ${answer.text.slice(0, 40) || 'nothing'}.`,
      {
        status: answer.status,
      },
    );
  }
}

/** Reads `Retry-After` (seconds or an HTTP date) as milliseconds. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}

export interface UploadOptions {
  url: string | URL;
  body: Blob | FormData;
  method?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Called with bytes sent and total, as the browser reports them. */
  onProgress?: (loaded: number, total: number) => void;
  /** Gives up when no byte has moved for this long (a slow but healthy link never trips it). */
  stallTimeoutMs?: number;
}

/**
 * Uploads with XMLHttpRequest, the one browser API that reports upload progress. Listeners are
 * attached before `send`, so a cross-origin request asks for a preflight, as the services expect.
 */
export function upload(options: UploadOptions): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const stallTimeoutMs = options.stallTimeoutMs ?? defaultTimeoutMs;
    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    const settle = (action: () => void) => {
      clearTimeout(stallTimer);
      options.signal?.removeEventListener('abort', onAbort);
      action();
    };
    const armStallTimer = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => {
        xhr.abort();
        settle(() => {
          reject(new ConvertError('timeout', 'The upload stalled.'));
        });
      }, stallTimeoutMs);
    };
    const onAbort = () => {
      xhr.abort();
      settle(() => {
        reject(toConvertError(options.signal?.reason ?? new DOMException('Aborted', 'AbortError')));
      });
    };
    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });

    xhr.open(options.method ?? 'POST', String(options.url));
    for (const [name, value] of Object.entries(options.headers ?? {})) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener('progress', (event) => {
      armStallTimer();
      options.onProgress?.(event.loaded, event.lengthComputable ? event.total : 0);
    });
    xhr.addEventListener('progress', armStallTimer);
    xhr.addEventListener('load', () => {
      settle(() => {
        resolve({
          status: xhr.status,
          headers: parseHeaders(xhr.getAllResponseHeaders()),
          text: xhr.responseText,
        });
      });
    });
    xhr.addEventListener('error', () => {
      settle(() => {
        reject(
          new ConvertError('network', 'The upload failed before the service answered.', { retryable: true }),
        );
      });
    });
    armStallTimer();
    xhr.send(options.body);
  });
}

function parseHeaders(raw: string): Headers {
  const headers = new Headers();
  for (const line of raw.trim().split(/[\r\n]+/)) {
    const separator = line.indexOf(':');
    if (separator > 0) headers.append(line.slice(0, separator).trim(), line.slice(separator + 1).trim());
  }
  return headers;
}
