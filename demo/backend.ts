// The demo's backend, run inside the dev server: the sandbox (unless real credentials are set)
// and the server kit's token endpoints, mounted as Connect middleware. The browser tests reuse it.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  cloudConvertJobs,
  cloudConvertOAuth,
  cloudConvertOAuthEnv,
  convertApiEnv,
  convertApiTokens,
  DEFAULT_OAUTH_BASE_PATH,
  DEFAULT_STATUS_PATH,
  memoryTokenStore,
  toNodeListener,
  type NodeListener,
  type RequestHandler,
} from '../src/server/index.js';
import { startSandbox, type Sandbox } from 'convert-uploader-sandbox';

/** What the demo page needs to know: public URLs only, never a credential. */
export interface DemoConfig {
  convertapi: { apiBase: string | undefined; service: 'sandbox' | 'convertapi' };
  cloudconvert: {
    service: 'sandbox' | 'cloudconvert';
    /** The element's `api-base` (the sandbox's api host, read for the format catalogue); undefined for CloudConvert. */
    apiBase: string | undefined;
    /** The token endpoint of server-job mode (the demo's default for CloudConvert). */
    jobEndpoint: string;
    /** Access-token mode through the OAuth handler; absent when OAuth is not configured. */
    oauth:
      | {
          /** Where the visitor goes to connect a CloudConvert account (the consent page, then back here). */
          startUrl: string;
          tokenEndpoint: string;
          /** The element's `api-base` (the sandbox's api host); undefined for CloudConvert itself. */
          apiBase: string | undefined;
          /** Whether the element should use CloudConvert's sandbox hosts. */
          sandbox: boolean;
        }
      | undefined;
  };
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
/** CloudConvert server-job mode: the token endpoint; job status is served under `DEFAULT_STATUS_PATH`. */
export const cloudConvertJobPath = '/api/cloudconvert-job';
/** CloudConvert OAuth: `<base>/start`, `<base>/token`, `<base>/logout` and the callback below. */
export const cloudConvertOAuthPath = DEFAULT_OAUTH_BASE_PATH;
const oauthCallbackPath = `${DEFAULT_OAUTH_BASE_PATH}/callback`;

type Environment = Readonly<Record<string, string | undefined>>;

const randomSecret = () => randomBytes(32).toString('base64url');

/** A Host header that names a host and port, nothing else. */
const hostPattern = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The CloudConvert OAuth handler, made on the first request: its redirect URI lies on the dev
 * server's own origin, whose port is only known once it serves. One handler per origin.
 */
function lazyOAuth(create: (origin: string) => RequestHandler): NodeListener {
  const handlers = new Map<string, NodeListener>();
  return (request, response) => {
    const host = request.headers.host ?? '';
    if (!hostPattern.test(host)) {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 'invalid-request', message: 'Bad Host header.' } }));
      return;
    }
    const origin = `http://${host.toLowerCase()}`;
    let handler = handlers.get(origin);
    if (!handler) {
      try {
        handler = toNodeListener(create(origin));
      } catch {
        // The kit refuses plain-http redirect URIs off loopback: the sandbox OAuth demo is for localhost.
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ error: { code: 'not-configured', message: 'Open the demo on localhost.' } }),
        );
        return;
      }
      if (handlers.size < 8) handlers.set(origin, handler);
    }
    handler(request, response);
  };
}

/**
 * Starts the sandbox (unless both `CONVERTAPI_SECRET` and `CLOUDCONVERT_API_KEY` are set) and the
 * token endpoints on top of it: ConvertAPI, CloudConvert server jobs, and CloudConvert OAuth.
 */
export async function startDevBackend(env: Environment = process.env): Promise<DevBackend> {
  const useRealConvertApi = Boolean(env['CONVERTAPI_SECRET']);
  const cloudConvertApiKey = env['CLOUDCONVERT_API_KEY']?.trim() || undefined;
  const sandbox = useRealConvertApi && cloudConvertApiKey ? undefined : await startSandbox({ port: 0 });

  const convertApiHandler = convertApiTokens(
    sandbox && !useRealConvertApi
      ? {
          secret: sandbox.convertapi.secret,
          apiKey: sandbox.convertapi.apiKey,
          apiBase: sandbox.convertapi.base,
          rateLimit: false,
          // A playground: batches of up to 100 files get one credential (the kit's default is 25).
          maxFiles: 100,
          maxRequestsPerBatch: 100,
        }
      : convertApiEnv(env),
  );

  const cloudConvertSandbox = cloudConvertApiKey ? undefined : sandbox?.cloudconvert;
  const jobsHandler = toNodeListener(
    cloudConvertJobs({
      ...(cloudConvertSandbox
        ? { apiKey: cloudConvertSandbox.apiKey, apiBase: cloudConvertSandbox.api }
        : { apiKey: cloudConvertApiKey, sandbox: env['CLOUDCONVERT_SANDBOX'] === 'true' }),
      formats: { to: ['pdf', 'png', 'jpg', 'webp'] },
      ticketSecret: env['CONVERT_UPLOADER_TICKET_SECRET'] ?? randomSecret(),
      statusPath: DEFAULT_STATUS_PATH,
      // The page polls job status and the browser tests convert many batches from one address; a
      // playground takes batches of up to 100 files in one job (the kit's default is 25).
      ...(cloudConvertSandbox ? { rateLimit: false, statusRateLimit: false, maxFiles: 100 } : {}),
    }),
  );
  const realOAuth = env['CLOUDCONVERT_CLIENT_ID'] ? cloudConvertOAuthEnv(env) : undefined;
  const oauthHandler = realOAuth
    ? toNodeListener(cloudConvertOAuth({ ...realOAuth, store: memoryTokenStore() }))
    : cloudConvertSandbox &&
      lazyOAuth((origin) =>
        cloudConvertOAuth({
          clientId: cloudConvertSandbox.clientId,
          clientSecret: cloudConvertSandbox.clientSecret,
          authorizeUrl: `${cloudConvertSandbox.oauth}/authorize`,
          tokenUrl: `${cloudConvertSandbox.oauth}/token`,
          redirectUri: `${origin}${oauthCallbackPath}`,
          store: memoryTokenStore(),
          encryptionKey: randomSecret(),
          rateLimit: false,
          maxFiles: 100,
        }),
      );

  const config: DemoConfig = {
    convertapi:
      sandbox && !useRealConvertApi
        ? { apiBase: sandbox.convertapi.base, service: 'sandbox' }
        : { apiBase: undefined, service: 'convertapi' },
    cloudconvert: {
      service: cloudConvertSandbox ? 'sandbox' : 'cloudconvert',
      apiBase: cloudConvertSandbox?.api,
      jobEndpoint: cloudConvertJobPath,
      oauth: oauthHandler
        ? {
            startUrl: `${cloudConvertOAuthPath}/start`,
            tokenEndpoint: `${cloudConvertOAuthPath}/token`,
            apiBase: cloudConvertSandbox?.api,
            sandbox: !cloudConvertSandbox && env['CLOUDCONVERT_SANDBOX'] === 'true',
          }
        : undefined,
    },
  };

  /** Routes served under a path prefix (the handler reads the rest of the path). */
  const prefixRoutes: Array<[prefix: string, route: NodeListener]> = [
    [`${DEFAULT_STATUS_PATH}/`, jobsHandler],
    ...(oauthHandler ? [[`${cloudConvertOAuthPath}/`, oauthHandler] as [string, NodeListener]] : []),
  ];
  // A real app's registered callback may lie elsewhere.
  if (realOAuth && oauthHandler) prefixRoutes.push([new URL(realOAuth.redirectUri).pathname, oauthHandler]);
  const routes = new Map<string, NodeListener>([
    [tokenEndpointPath, toNodeListener(convertApiHandler)],
    [cloudConvertJobPath, jobsHandler],
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
      const route = routes.get(path) ?? prefixRoutes.find(([prefix]) => path.startsWith(prefix))?.[1];
      if (route) route(request, response);
      else next();
    },
    close: async () => {
      await sandbox?.close();
    },
  };
}
