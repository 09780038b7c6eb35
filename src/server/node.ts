import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EndpointErrorBody } from '../contract/endpoint-error.js';
import { rememberConnectionAddress } from './client-ip.js';
import type { RequestHandler } from './endpoint-guard.js';

/** A Node `http` request listener that also works as Express/Connect middleware (`next` is optional). */
export type NodeListener = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/**
 * Adapts a server-kit handler to Node's `http` module, Express and Connect: `http.createServer(listener)`,
 * `app.post('/api/convert/token', listener)` or `app.use('/api/convert', listener)` (the full original URL is
 * used, so mounted paths still match). The request body is streamed (mount it before body parsers when you can;
 * a body Express already parsed is passed on re-serialized). The TCP peer address becomes the default client IP.
 *
 * Only type imports from `node:` modules: importing this file costs nothing on edge runtimes.
 */
export function toNodeListener(handler: RequestHandler): NodeListener {
  return (incoming, outgoing, next) => {
    serve(handler, incoming, outgoing).catch((error: unknown) => {
      if (next !== undefined) next(error);
      else if (!outgoing.headersSent) {
        outgoing.writeHead(500, {
          'Content-Type': 'application/json; charset=utf-8',
          'Cache-Control': 'no-store',
        });
        outgoing.end(
          JSON.stringify({
            error: { code: 'internal-error', message: 'The token endpoint failed.' },
          } satisfies EndpointErrorBody),
        );
      } else outgoing.destroy();
    });
  };
}

async function serve(
  handler: RequestHandler,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  let request: Request;
  try {
    request = toWebRequest(incoming, outgoing);
  } catch {
    outgoing.writeHead(400, { 'Content-Type': 'application/json; charset=utf-8', Connection: 'close' });
    outgoing.end(
      JSON.stringify({
        error: { code: 'invalid-request', message: 'The request could not be read.' },
      } satisfies EndpointErrorBody),
    );
    return;
  }
  rememberConnectionAddress(request, incoming.socket.remoteAddress);
  const response = await handler(request);
  await writeWebResponse(response, incoming, outgoing);
}

function toWebRequest(incoming: IncomingMessage, outgoing: ServerResponse): Request {
  const encrypted = (incoming.socket as { encrypted?: boolean }).encrypted === true;
  const path = (incoming as { originalUrl?: string }).originalUrl ?? incoming.url ?? '/';
  const url = new URL(path, `${encrypted ? 'https' : 'http'}://${incoming.headers.host ?? 'localhost'}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const aborted = new AbortController();
  outgoing.on('close', () => {
    if (!outgoing.writableFinished) aborted.abort();
  });
  const method = incoming.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: aborted.signal };
  if (method !== 'GET' && method !== 'HEAD') {
    init.body = (
      incoming.readableEnded ? alreadyParsedBody(incoming) : streamOf(incoming)
    ) as RequestInit['body'];
    init.duplex = 'half';
  }
  return new Request(url, init);
}

/** A body some middleware already consumed and parsed (e.g. `express.json()`), serialized again. */
function alreadyParsedBody(incoming: IncomingMessage): string | Uint8Array | null {
  const parsed = (incoming as { body?: unknown }).body;
  if (parsed === undefined) return null;
  if (typeof parsed === 'string' || parsed instanceof Uint8Array) return parsed;
  return JSON.stringify(parsed);
}

/** The request body as a Web stream with backpressure; cancelling it discards the rest instead of killing the socket. */
function streamOf(incoming: IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      incoming.on('data', (chunk: Uint8Array) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) incoming.pause();
      });
      incoming.once('end', () => {
        controller.close();
      });
      incoming.once('error', (error) => {
        controller.error(error);
      });
    },
    pull() {
      incoming.resume();
    },
    cancel() {
      incoming.removeAllListeners('data');
      incoming.removeAllListeners('end');
      incoming.resume();
    },
  });
}

async function writeWebResponse(
  response: Response,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  outgoing.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') outgoing.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) outgoing.setHeader('Set-Cookie', cookies);
  // The handler may answer before reading the whole body (413, 415…): close rather than read the rest.
  if (!incoming.complete) outgoing.setHeader('Connection', 'close');
  if (response.body === null || incoming.method === 'HEAD') {
    outgoing.end();
    return;
  }
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!outgoing.write(value)) {
      await new Promise<void>((resolve) => {
        outgoing.once('drain', resolve);
        outgoing.once('close', resolve);
      });
      if (outgoing.destroyed) {
        await reader.cancel();
        return;
      }
    }
  }
  outgoing.end();
}
