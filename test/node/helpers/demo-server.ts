import type { AddressInfo } from 'node:net';
import { createServer, type ViteDevServer } from 'vite';

/** The demo as `npm start` serves it (Vite with the demo backend), on a free loopback port. */
export async function startDemoServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server: ViteDevServer = await createServer({
    configFile: 'vite.config.ts',
    server: { port: 0, host: '127.0.0.1' },
    logLevel: 'silent',
  });
  await server.listen();
  const address = server.httpServer?.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}
