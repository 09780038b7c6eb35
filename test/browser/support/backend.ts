// The browser tests' backend, started by web-test-runner.config.mjs: the demo's backend (sandbox and
// server-kit token endpoints) plus test-only token endpoints that misbehave on purpose.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SignJWT } from 'jose';
import { startDevBackend, type DevBackend } from '../../../demo/backend.js';
import { convertApiTokens, toNodeListener, type NodeListener } from '../../../src/server/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';

/** Public facts a test may read through the `backend-info` command. */
export interface BackendInfo {
  sandboxUrl: string;
  convertapiBase: string;
  tokenEndpoint: string;
}

export interface TestBackend {
  info: BackendInfo;
  /** Every credential value handed out, and the sandbox's secrets: what a credential scan looks for. */
  secrets(): string[];
  /** Calls per test token route since the last reset. */
  tokenCalls(): Record<string, number>;
  reset(): void;
  handle(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  close(): Promise<void>;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function served(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (response.writableFinished) resolve();
    response.once('finish', resolve);
    response.once('close', resolve);
  });
}

/** A seed-format ConvertAPI JWT signed with the sandbox's secret, with any lifetime. */
function mintJwt(sandbox: Sandbox, lifetimeSeconds: number, requestCount: number): Promise<string> {
  return new SignJWT({
    Id: Math.random().toString(36).slice(2, 10).padEnd(8, 'x'),
    RequestCount: requestCount,
    ValidUntil: Math.floor(Date.now() / 1000) + lifetimeSeconds,
    ApiKey: sandbox.convertapi.apiKey,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(sandbox.convertapi.secret));
}

export async function startTestBackend(): Promise<TestBackend> {
  const backend: DevBackend = await startDevBackend({});
  const sandbox = backend.sandbox;
  if (!sandbox) throw new Error('the test backend needs the sandbox');
  const issued = new Set<string>();
  let calls: Record<string, number> = {};

  const kitOptions = {
    secret: sandbox.convertapi.secret,
    apiKey: sandbox.convertapi.apiKey,
    apiBase: sandbox.convertapi.base,
    rateLimit: false as const,
  };
  const kitRoutes: Record<string, NodeListener> = {
    counted: toNodeListener(convertApiTokens(kitOptions)),
    'one-use': toNodeListener(convertApiTokens({ ...kitOptions, maxRequestsPerBatch: 1 })),
    'token-mode': toNodeListener(convertApiTokens({ ...kitOptions, mode: 'token' })),
  };

  /** Test token routes: `/__test/token/<behaviour>`. */
  const behaviours: Record<
    string,
    (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>
  > = {
    html: async (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><title>Sign in</title><p>Please sign in.</p>');
    },
    'status-500': async (_request, response) => {
      sendJson(response, 500, { error: { code: 'internal-error', message: 'The token endpoint failed.' } });
    },
    'status-401': async (_request, response) => {
      sendJson(response, 401, { error: { code: 'unauthorized', message: 'Sign in first.' } });
    },
    hang: async (request) => {
      await new Promise((resolve) => request.once('close', resolve));
    },
    'long-lived': async (_request, response) => {
      sendJson(response, 200, {
        provider: 'convertapi',
        token: await mintJwt(sandbox, 7200, 1),
        requestCount: 1,
      });
    },
    'secret-field': async (_request, response) => {
      const token = await mintJwt(sandbox, 600, 1);
      sendJson(response, 200, {
        provider: 'convertapi',
        token,
        requestCount: 1,
        secret: sandbox.convertapi.secret,
      });
    },
    'cloudconvert-api-key': async (_request, response) => {
      sendJson(response, 200, {
        provider: 'convertapi',
        token: sandbox.cloudconvert.apiKey,
        requestCount: 1,
      });
    },
    expiring: async (request, response, url) => {
      const body = JSON.parse(await readBody(request)) as { files: unknown[] };
      const token = await mintJwt(sandbox, Number(url.searchParams.get('seconds') ?? '2'), body.files.length);
      issued.add(token);
      sendJson(response, 200, { provider: 'convertapi', token, requestCount: body.files.length });
    },
  };

  /** Records the credential of a kit route's answer, so scans can look for it. */
  function recordingResponse(response: ServerResponse): ServerResponse {
    const end = response.end.bind(response) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
    response.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) {
        try {
          const body = JSON.parse(chunk.toString()) as { token?: unknown };
          if (typeof body.token === 'string') issued.add(body.token);
        } catch {
          // Not JSON: nothing was issued.
        }
      }
      return end(chunk, ...rest);
    }) as ServerResponse['end'];
    return response;
  }

  return {
    info: {
      sandboxUrl: sandbox.url,
      convertapiBase: sandbox.convertapi.base,
      tokenEndpoint: '/api/convert-token',
    },
    secrets: () => [
      sandbox.convertapi.secret,
      sandbox.cloudconvert.apiKey,
      sandbox.cloudconvert.clientSecret,
      ...issued,
    ],
    tokenCalls: () => ({ ...calls }),
    reset: () => {
      calls = {};
      sandbox.clearFaults();
    },
    async handle(request, response) {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const path = url.pathname;
      if (path.startsWith('/__test/token/')) {
        const name = path.slice('/__test/token/'.length);
        calls[name] = (calls[name] ?? 0) + 1;
        const kitRoute = kitRoutes[name];
        const behaviour = behaviours[name];
        if (kitRoute) kitRoute(request, recordingResponse(response));
        else if (behaviour) await behaviour(request, response, url);
        else sendJson(response, 404, { error: 'no such test route' });
        await served(response);
        return true;
      }
      if (path.startsWith('/api/')) {
        calls['api'] = (calls['api'] ?? 0) + 1;
        backend.middleware(request, recordingResponse(response), () => {
          sendJson(response, 404, {});
        });
        await served(response);
        return true;
      }
      return false;
    },
    close: () => backend.close(),
  };
}
