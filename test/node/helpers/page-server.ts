import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, normalize, resolve, sep } from 'node:path';
import { startDevBackend, type DevBackend } from '../../../demo/backend.js';

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
};

export interface PageServer {
  origin: string;
  backend: DevBackend;
  /** Sets (or replaces) the HTML served at `path`. */
  setPage(path: string, html: string): void;
  close(): Promise<void>;
}

export interface PageServerOptions {
  /** URL path prefix → folder on disk, e.g. `{ '/cdn/': 'dist/cdn' }`. */
  folders: Record<string, string>;
  /** Pages by path, as HTML text. */
  pages: Record<string, string>;
  /** Headers on every answer (e.g. a Content-Security-Policy), given the sandbox's origin. */
  headers?: (sandboxOrigin: string) => Record<string, string>;
}

/**
 * A plain static server for test and benchmark pages that use the built CDN files: pages, folders,
 * and the demo backend (sandbox and token endpoints) under `/api/`. No dev-server scripts injected.
 */
export async function startPageServer(options: PageServerOptions): Promise<PageServer> {
  const backend = await startDevBackend({});
  const sandboxOrigin = backend.sandbox ? new URL(backend.sandbox.url).origin : '';
  const extraHeaders = options.headers?.(sandboxOrigin) ?? {};
  const pages = new Map(Object.entries(options.pages));
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const send = (status: number, body: string | Buffer, type = 'text/plain') => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...extraHeaders });
      response.end(body);
    };
    if (path.startsWith('/api/')) {
      backend.middleware(request, response, () => {
        send(404, 'not found');
      });
      return;
    }
    const page = pages.get(path);
    if (page !== undefined) {
      send(200, page, contentTypes['.html']);
      return;
    }
    const prefix = Object.keys(options.folders).find((candidate) => path.startsWith(candidate));
    if (!prefix) {
      send(404, 'not found');
      return;
    }
    const root = resolve(options.folders[prefix] ?? '.');
    const file = normalize(resolve(root, `.${sep}${path.slice(prefix.length)}`));
    if (!file.startsWith(root + sep)) {
      send(404, 'not found');
      return;
    }
    readFile(file).then(
      (body) => {
        send(200, body, contentTypes[extname(file)]);
      },
      () => {
        send(404, 'not found');
      },
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    backend,
    setPage: (path, html) => {
      pages.set(path, html);
    },
    close: async () => {
      await new Promise((done) => server.close(done));
      await backend.close();
    },
  };
}
