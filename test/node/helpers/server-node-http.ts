import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Serves `listener` on a free loopback port; `close()` stops it. */
export async function listen(
  listener: RequestListener,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}

/**
 * Mounts `listener` under `prefix` the way Express's `app.use(prefix, listener)` does: `req.url` loses the prefix,
 * `req.originalUrl` keeps the full path, and a `next` callback is passed.
 */
export function mountedLikeExpress(
  prefix: string,
  listener: (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void) => void,
  onNext: (error?: unknown) => void = () => undefined,
): RequestListener {
  return (request, response) => {
    const original = request.url ?? '/';
    if (!original.startsWith(prefix)) {
      response.statusCode = 404;
      response.end();
      return;
    }
    Object.assign(request, { originalUrl: original, url: original.slice(prefix.length) || '/' });
    listener(request, response, onNext);
  };
}
