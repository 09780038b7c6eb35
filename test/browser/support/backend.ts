// The browser tests' backend, started by web-test-runner.config.mjs: the demo's backend (sandbox and
// server-kit token endpoints) plus test-only token endpoints that misbehave on purpose.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { cloudConvertJobPath, startDevBackend, type DevBackend } from '../../../demo/backend.js';
import {
  cloudConvertJobs,
  convertApiTokens,
  toNodeListener,
  type NodeListener,
} from '../../../src/server/index.js';
import { startSandbox, type Sandbox } from 'convert-uploader-sandbox';

/** Public facts a test may read through the `backend-info` command. */
export interface BackendInfo {
  sandboxUrl: string;
  convertapiBase: string;
  tokenEndpoint: string;
  cloudconvert: {
    /** The demo backend's server-job token endpoint, on the shared sandbox (formats: pdf and images). */
    jobEndpoint: string;
    /**
     * The CloudConvert tests' own sandbox, behind the `cc-*` test routes: their faults, CORS switch
     * and credits never meet the other test files, which run alongside and reset the shared one.
     */
    sandboxUrl: string;
    api: string;
    sync: string;
    /** A third sandbox whose OAuth access tokens live `shortTokenSeconds` and whose conversions take 4 s. */
    shortSandboxUrl: string;
    shortApi: string;
    shortTokenSeconds: number;
  };
}

/** Lifetime of the access tokens of the second sandbox, for the token-expiry test. */
const shortTokenSeconds = 3;

/**
 * An OAuth access token of the sandbox's CloudConvert, got like a visitor approving the consent
 * page (implicit grant): what the server kit's OAuth handler would hand the element.
 */
async function sandboxAccessToken(cloudconvert: Sandbox['cloudconvert']): Promise<string> {
  const state = randomBytes(8).toString('hex');
  const query = new URLSearchParams({
    response_type: 'token',
    client_id: cloudconvert.clientId,
    redirect_uri: 'http://127.0.0.1/oauth-callback',
    scope: 'task.read task.write',
    state,
  });
  const page = await (await fetch(`${cloudconvert.oauth}/authorize?${query}`)).text();
  const authToken = /name="auth_token" value="([^"]+)"/.exec(page)?.[1];
  if (!authToken) throw new Error('the sandbox showed no consent form');
  const decision = await fetch(`${cloudconvert.oauth}/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      state,
      client_id: cloudconvert.clientId,
      auth_token: authToken,
      approve: '1',
    }),
  });
  const fragment = new URL(decision.headers.get('location') ?? '').hash.slice(1);
  const token = new URLSearchParams(fragment).get('access_token');
  if (!token) throw new Error('the sandbox granted no access token');
  return token;
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

/** A ConvertAPI JWT in the documented claim format, signed with the sandbox's secret, with any lifetime. */
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
  const ccSandbox = await startSandbox({ port: 0 });
  const shortSandbox = await startSandbox({
    port: 0,
    accessTokenLifetimeSec: shortTokenSeconds,
    processingMs: 4000,
  });
  const ticketSecret = randomBytes(32).toString('base64url');
  const issued = new Set<string>();
  let calls: Record<string, number> = {};
  /** Calls of the CloudConvert routes; never reset, so tests read differences (files run side by side). */
  const cloudConvertCalls: Record<string, number> = {};
  const countCloudConvert = (route: string) => {
    cloudConvertCalls[route] = (cloudConvertCalls[route] ?? 0) + 1;
  };

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
    'cc-job': toNodeListener(
      cloudConvertJobs({
        apiKey: ccSandbox.cloudconvert.apiKey,
        apiBase: ccSandbox.cloudconvert.api,
        formats: { to: ['pdf'] },
        ticketSecret,
        statusPath: '/__test/token/cc-job/status',
        rateLimit: false,
        statusRateLimit: false,
      }),
    ),
    // Server-job mode on the third sandbox, whose conversions take 4 s (progress, poller tests).
    'cc-job-slow': toNodeListener(
      cloudConvertJobs({
        apiKey: shortSandbox.cloudconvert.apiKey,
        apiBase: shortSandbox.cloudconvert.api,
        formats: { to: ['pdf'] },
        ticketSecret,
        statusPath: '/__test/token/cc-job-slow/status',
        rateLimit: false,
        statusRateLimit: false,
      }),
    ),
  };

  /** Calls the CloudConvert tests' sandbox api host with its API key, which stays on this side. */
  const cloudConvertApi = async (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${ccSandbox.cloudconvert.api}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${ccSandbox.cloudconvert.apiKey}`,
        'content-type': 'application/json',
      },
    });

  /** A CloudConvert access-token answer from `source`'s OAuth host, recorded for the scans. */
  const accessTokenAnswer = async (source: Sandbox, response: ServerResponse) => {
    const token = await sandboxAccessToken(source.cloudconvert);
    issued.add(token);
    sendJson(response, 200, { provider: 'cloudconvert', accessToken: token });
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
    slow: async (request, response) => {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      kitRoutes['counted']?.(request, recordingResponse(response));
      await served(response);
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
    'cc-access': (_request, response) => accessTokenAnswer(ccSandbox, response),
    'cc-short': (_request, response) => accessTokenAnswer(shortSandbox, response),
    // A misconfigured endpoint handing out the CloudConvert API key itself, bare and with a near expiresAt.
    'cc-api-key': async (_request, response) => {
      sendJson(response, 200, { provider: 'cloudconvert', accessToken: ccSandbox.cloudconvert.apiKey });
    },
    // A job of the wrong shape (no task chain for the file).
    'cc-bad-job': async (_request, response) => {
      sendJson(response, 200, {
        provider: 'cloudconvert',
        job: {
          id: 'not-a-job',
          status: 'waiting',
          tasks: [{ id: 'x', name: 'import-0', operation: 'convert' }],
        },
        statusUrl: '/__test/token/cc-bad-job/status',
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
      });
    },
    'cc-api-key-dated': async (_request, response) => {
      sendJson(response, 200, {
        provider: 'cloudconvert',
        accessToken: ccSandbox.cloudconvert.apiKey,
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
      });
    },
    expiring: async (request, response, url) => {
      const body = JSON.parse(await readBody(request)) as { files: unknown[] };
      const token = await mintJwt(sandbox, Number(url.searchParams.get('seconds') ?? '2'), body.files.length);
      issued.add(token);
      sendJson(response, 200, { provider: 'convertapi', token, requestCount: body.files.length });
    },
  };

  /**
   * Records the credentials of a kit route's answer (a ConvertAPI `token`, a CloudConvert `accessToken`), so
   * scans can look for them. The kit writes its answer in pieces and then ends it: every piece is collected.
   */
  function recordingResponse(response: ServerResponse): ServerResponse {
    const pieces: Buffer[] = [];
    const collect = (chunk: unknown) => {
      if (typeof chunk === 'string' || Buffer.isBuffer(chunk) || chunk instanceof Uint8Array) {
        pieces.push(Buffer.from(chunk));
      }
    };
    const write = response.write.bind(response) as (chunk: unknown, ...rest: unknown[]) => boolean;
    response.write = ((chunk: unknown, ...rest: unknown[]) => {
      collect(chunk);
      return write(chunk, ...rest);
    }) as ServerResponse['write'];
    const end = response.end.bind(response) as (chunk?: unknown, ...rest: unknown[]) => ServerResponse;
    response.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== 'function') collect(chunk);
      try {
        const body = JSON.parse(Buffer.concat(pieces).toString()) as {
          token?: unknown;
          accessToken?: unknown;
        };
        for (const value of [body.token, body.accessToken]) if (typeof value === 'string') issued.add(value);
      } catch {
        // Not JSON: nothing was issued.
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
      cloudconvert: {
        jobEndpoint: cloudConvertJobPath,
        sandboxUrl: ccSandbox.url,
        api: ccSandbox.cloudconvert.api,
        sync: ccSandbox.cloudconvert.sync,
        shortSandboxUrl: shortSandbox.url,
        shortApi: shortSandbox.cloudconvert.api,
        shortTokenSeconds,
      },
    },
    secrets: () => [
      sandbox.convertapi.secret,
      sandbox.cloudconvert.apiKey,
      sandbox.cloudconvert.clientSecret,
      ccSandbox.cloudconvert.apiKey,
      ccSandbox.cloudconvert.clientSecret,
      shortSandbox.cloudconvert.apiKey,
      shortSandbox.cloudconvert.clientSecret,
      ticketSecret,
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
      if (path === '/__test/cloudconvert-reset') {
        // The CloudConvert tests' own reset: their sandboxes' faults only.
        ccSandbox.clearFaults();
        shortSandbox.clearFaults();
        sendJson(response, 200, {});
        return true;
      }
      if (path === '/__test/cloudconvert-calls') {
        sendJson(response, 200, cloudConvertCalls);
        return true;
      }
      if (path === '/__test/cloudconvert-account') {
        // Sets the sandbox account's credits (`{ credits }`).
        const answer = await cloudConvertApi('/../__sandbox/account', {
          method: 'PATCH',
          body: await readBody(request),
        });
        sendJson(response, answer.status, await answer.json());
        return true;
      }
      if (path === '/__test/cloudconvert-cancel-waiting-uploads') {
        // Cancels the import tasks of the newest job that still wait for their file, as if the
        // storage had lost them; answers their names.
        const jobs = (await (await cloudConvertApi('/jobs?include=tasks')).json()) as {
          data: Array<{ tasks: Array<{ id: string; name: string; operation: string; status: string }> }>;
        };
        const waiting = (jobs.data[0]?.tasks ?? []).filter(
          (task) => task.operation === 'import/upload' && task.status === 'waiting',
        );
        for (const task of waiting) await cloudConvertApi(`/tasks/${task.id}/cancel`, { method: 'POST' });
        sendJson(
          response,
          200,
          waiting.map((task) => task.name),
        );
        return true;
      }
      if (path.startsWith('/__test/token/')) {
        // `cc-job/status/<ticket>` belongs to the `cc-job` route.
        const [name = '', ...rest] = path.slice('/__test/token/'.length).split('/');
        const counted = rest.length > 0 ? `${name}:status` : name;
        calls[counted] = (calls[counted] ?? 0) + 1;
        if (name.startsWith('cc-')) countCloudConvert(counted);
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
        const route = path.startsWith('/api/convert/jobs/') ? 'api:status' : `api:${path}`;
        calls[route] = (calls[route] ?? 0) + 1;
        if (route === 'api:status' || route === `api:${cloudConvertJobPath}`) countCloudConvert(route);
        backend.middleware(request, recordingResponse(response), () => {
          sendJson(response, 404, {});
        });
        await served(response);
        return true;
      }
      return false;
    },
    close: async () => {
      await backend.close();
      await ccSandbox.close();
      await shortSandbox.close();
    },
  };
}
