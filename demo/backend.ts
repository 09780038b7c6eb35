// The demo's backend, run inside the dev server: the sandbox (unless real credentials are set)
// and the server kit's token endpoints, mounted as Connect middleware. The browser tests reuse it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { convertApiEnv, convertApiTokens, toNodeListener, type NodeListener } from '../src/server/index.js';
import { startSandbox, type Sandbox } from '../src/sandbox/index.js';

/** What the demo page needs to know: public URLs only, never a credential. */
export interface DemoConfig {
  convertapi: { apiBase: string | undefined; service: 'sandbox' | 'convertapi' };
}

export interface DevBackend {
  /** The embedded sandbox, when the demo runs without real credentials. */
  sandbox: Sandbox | undefined;
  config: DemoConfig;
  /** Connect middleware (Vite, Express): serves `/api/*` and passes everything else on. */
  middleware(request: IncomingMessage, response: ServerResponse, next: () => void): void;
  close(): Promise<void>;
}

export const tokenEndpointPath = '/api/convert-token';
export const demoConfigPath = '/api/demo-config';

type Environment = Readonly<Record<string, string | undefined>>;

/** Starts the sandbox (without `CONVERTAPI_SECRET`) and the token endpoints on top of it. */
export async function startDevBackend(env: Environment = process.env): Promise<DevBackend> {
  const useRealConvertApi = Boolean(env['CONVERTAPI_SECRET']);
  const sandbox = useRealConvertApi ? undefined : await startSandbox({ port: 0 });

  const convertApiHandler = convertApiTokens(
    sandbox
      ? {
          secret: sandbox.convertapi.secret,
          apiKey: sandbox.convertapi.apiKey,
          apiBase: sandbox.convertapi.base,
          rateLimit: false,
        }
      : convertApiEnv(env),
  );

  const config: DemoConfig = {
    convertapi: sandbox
      ? { apiBase: sandbox.convertapi.base, service: 'sandbox' }
      : { apiBase: undefined, service: 'convertapi' },
  };

  const routes = new Map<string, NodeListener>([
    [tokenEndpointPath, toNodeListener(convertApiHandler)],
    [
      demoConfigPath,
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        response.end(JSON.stringify(config));
      },
    ],
  ]);

  return {
    sandbox,
    config,
    middleware(request, response, next) {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const route = routes.get(path);
      if (route) route(request, response);
      else next();
    },
    close: async () => {
      await sandbox?.close();
    },
  };
}
