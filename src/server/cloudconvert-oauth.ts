import type { CloudConvertAccessTokenAnswer } from '../contract/token-response.js';
import { isLoopbackHost } from '../contract/url-policy.js';
import { batchLimits } from './batch-limits.js';
import { CLOUDCONVERT_OAUTH_BASE } from './cloudconvert-hosts.js';
import {
  integerOption,
  optionalFunction,
  pathOption,
  requireSecrets,
  requireText,
  secureUrlOption,
  serviceBaseUrl,
} from './config-checks.js';
import { cookieName, readCookie, serializeCookie } from './cookies.js';
import {
  createEndpointGuard,
  type Awaitable,
  type EndpointOptions,
  type RequestHandler,
  type RouteContext,
} from './endpoint-guard.js';
import { ConfigurationError, RequestError, UpstreamError } from './errors.js';
import type { IssueHook } from './issue-event.js';
import { createOAuthConnections } from './oauth-connection.js';
import { createPkcePair } from './oauth-pkce.js';
import { exchangeAuthorizationCode, type OAuthClient } from './oauth-token-client.js';
import { randomToken } from './random.js';
import { jsonResponse } from './responses.js';
import { createSealer } from './sealed-token.js';
import { parseTokenRequest } from './token-request.js';
import type { TokenStore } from './token-store.js';
import type { FetchFunction } from './upstream.js';
import { createVisitorCookies } from './visitor-cookie.js';

/** Least length of the encryption key, in bytes. */
export const MIN_ENCRYPTION_KEY_BYTES = 32;
/** Default base path of the start, token and logout routes. */
export const DEFAULT_OAUTH_BASE_PATH = '/api/convert/oauth';
/** Scopes requested by default: what the element needs to create and follow jobs. */
export const DEFAULT_OAUTH_SCOPES: readonly string[] = ['task.read', 'task.write'];

/** Seconds a visitor has to complete CloudConvert's consent page. */
const FLOW_LIFETIME_SEC = 600;

/** Options of {@link cloudConvertOAuth}. */
export interface CloudConvertOAuthOptions extends EndpointOptions {
  /** OAuth client id of your CloudConvert app. */
  clientId: string;
  /** OAuth client secret of your CloudConvert app; never leaves the server. */
  clientSecret: string;
  /** The callback URL registered with CloudConvert; its path is the callback route. https: (http: only on loopback). */
  redirectUri: string;
  /** Scopes requested; default `['task.read', 'task.write']` (both required by the element). */
  scopes?: readonly string[];
  /** Where the encrypted connections are kept; see {@link TokenStore} and `memoryTokenStore()`. */
  store: TokenStore;
  /** Secret (≥ 32 bytes) encrypting stored tokens and signing cookies; or a rotation list, current first. */
  encryptionKey: string | readonly string[];
  /** Use CloudConvert's sandbox OAuth host. */
  sandbox?: boolean;
  /** Authorization endpoint override (e.g. a local sandbox's `/oauth/authorize`). */
  authorizeUrl?: string;
  /** Token endpoint override (e.g. a local sandbox's `/oauth/token`). */
  tokenUrl?: string;
  /** Base path of the routes `<basePath>/start`, `<basePath>/token` and `<basePath>/logout`; default `/api/convert/oauth`. */
  basePath?: string;
  /** Where the browser goes after the callback: a path, or a URL on the redirect URI's origin; default `/`. */
  returnTo?: string;
  /**
   * Identify visitors yourself (e.g. your logged-in user's id) instead of the kit's signed visitor cookie.
   * Return `undefined` for visitors you do not know: they get a 401.
   */
  visitorId?: (request: Request) => Awaitable<string | undefined>;
  /** Refresh the access token when fewer than this many seconds are left; default 60. */
  refreshLeeway?: number;
  /** Most files per batch in token requests; default 25. */
  maxFiles?: number;
  /** Largest file in bytes, as declared by the browser; default 100 MiB. */
  maxFileSize?: number;
  /** Audit hook; see {@link IssueHook}. */
  onIssue?: IssueHook;
  /** The `fetch` used to reach the OAuth token endpoint; default the global one. */
  fetch?: FetchFunction;
}

/** The answer of the OAuth token route: the contract's answer, with every field set. */
export interface CloudConvertAccessTokenResponse extends CloudConvertAccessTokenAnswer {
  readonly expiresAt: string;
}

/**
 * CloudConvert OAuth 2.0 (authorization code with `state` and PKCE S256) for sites whose visitors convert with
 * their own CloudConvert account. One handler serves four routes:
 * - `GET <basePath>/start`: redirects to CloudConvert's consent page (optional `?returnTo=/path`);
 * - `GET <redirectUri path>`: the callback; stores the tokens encrypted, then redirects to `returnTo` with
 *   `cloudconvert=connected`, `denied` or `failed` in the query;
 * - `POST <basePath>/token`: the element's token endpoint, answering a fresh access token;
 * - `POST <basePath>/logout`: forgets the visitor's connection.
 * The refresh token and the client secret never leave the server. Throws `ConfigurationError` at once on an
 * unsafe or incomplete setup.
 */
export function cloudConvertOAuth(options: CloudConvertOAuthOptions): RequestHandler {
  const clientId = requireText(options.clientId, 'clientId');
  const clientSecret = requireText(options.clientSecret, 'clientSecret');
  const redirectUri = secureUrlOption(options.redirectUri, 'redirectUri');
  if (redirectUri.hash !== '')
    throw new ConfigurationError('The option "redirectUri" must not have a fragment.');
  // Sent exactly as configured: the OAuth server compares it with the registered URI character by character.
  const redirectUriText = options.redirectUri;
  const secureCookies = !(redirectUri.protocol === 'http:' && isLoopbackHost(redirectUri.hostname));
  const scopes = scopeList(options.scopes);
  const store = storeOption(options.store);
  const keys = requireSecrets(options.encryptionKey, 'encryptionKey', MIN_ENCRYPTION_KEY_BYTES);
  const sandbox = options.sandbox ?? false;
  if (typeof sandbox !== 'boolean') throw new ConfigurationError('The option "sandbox" must be a boolean.');
  const oauthBase = CLOUDCONVERT_OAUTH_BASE[sandbox ? 'sandbox' : 'production'];
  const authorizeUrl = serviceBaseUrl(options.authorizeUrl, 'authorizeUrl', `${oauthBase}/authorize`);
  const basePath = pathOption(options.basePath, 'basePath', DEFAULT_OAUTH_BASE_PATH);
  const paths = { start: `${basePath}/start`, token: `${basePath}/token`, logout: `${basePath}/logout` };
  const callbackPath = redirectUri.pathname;
  if (Object.values(paths).includes(callbackPath)) {
    throw new ConfigurationError(
      'The path of "redirectUri" must differ from the start, token and logout routes.',
    );
  }
  const defaultReturnTo = returnToOption(options.returnTo, redirectUri);
  const visitorHook = optionalFunction(options.visitorId, 'visitorId');
  const onIssue = optionalFunction(options.onIssue, 'onIssue');
  const client: OAuthClient = {
    tokenUrl: serviceBaseUrl(options.tokenUrl, 'tokenUrl', `${oauthBase}/token`),
    clientId,
    clientSecret,
    fetch: optionalFunction(options.fetch, 'fetch') ?? ((input, init) => fetch(input, init)),
  };
  const rules = { provider: 'cloudconvert' as const, ...batchLimits(options) };
  const guard = createEndpointGuard(options, 'cloudconvert-oauth');
  const visitors = createVisitorCookies(keys, secureCookies);
  const flows = createSealer(keys, 'cloudconvert-oauth-flow');
  const flowCookie = cookieName('convert-uploader-oauth', secureCookies);
  const notConnected = (): RequestError =>
    new RequestError(
      401,
      'not-connected',
      'Connect a CloudConvert account first.',
      {},
      { loginUrl: paths.start },
    );
  const connections = createOAuthConnections(
    store,
    createSealer(keys, 'cloudconvert-oauth-tokens'),
    client,
    integerOption(options.refreshLeeway, 'refreshLeeway', 60, 0, 600),
    notConnected,
  );

  const knownVisitor = async (request: Request): Promise<string | undefined> =>
    visitorHook === undefined ? visitors.read(request) : visitorHook(request);

  const start = async ({ request }: RouteContext): Promise<Response> => {
    const headers = new Headers();
    let visitorId = await knownVisitor(request);
    if (visitorId === undefined && visitorHook !== undefined) {
      throw new RequestError(401, 'unauthorized', 'Sign in to this site first.');
    }
    if (visitorId === undefined) {
      const created = await visitors.create();
      visitorId = created.visitorId;
      headers.append('Set-Cookie', created.setCookie);
    }
    const state = randomToken(32);
    const pkce = await createPkcePair();
    const returnTo = safeReturnPath(new URL(request.url).searchParams.get('returnTo')) ?? defaultReturnTo;
    const flow = await flows.seal(
      { state, verifier: pkce.verifier, returnTo },
      { lifetimeSec: FLOW_LIFETIME_SEC, subject: visitorId },
    );
    headers.append(
      'Set-Cookie',
      serializeCookie(flowCookie, flow, { maxAge: FLOW_LIFETIME_SEC, secure: secureCookies }),
    );
    const target = new URL(authorizeUrl);
    target.search = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUriText,
      scope: scopes.join(' '),
      state,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    }).toString();
    headers.set('Location', target.href);
    return new Response(null, { status: 302, headers });
  };

  const callback = async ({ request }: RouteContext): Promise<Response> => {
    const params = new URL(request.url).searchParams;
    const visitorId = await knownVisitor(request);
    const sealedFlow = readCookie(request, flowCookie);
    const opened =
      visitorId === undefined || sealedFlow === undefined
        ? undefined
        : await flows.open(sealedFlow, { subject: visitorId });
    const flow = opened?.ok ? opened.payload : undefined;
    const state = params.get('state');
    if (
      visitorId === undefined ||
      typeof flow?.state !== 'string' ||
      typeof flow.verifier !== 'string' ||
      typeof flow.returnTo !== 'string' ||
      state === null ||
      !equalStrings(state, flow.state)
    ) {
      throw new RequestError(
        400,
        'invalid-state',
        'This sign-in link is invalid or has expired; start again.',
      );
    }
    const code = params.get('code');
    let outcome: 'connected' | 'denied' | 'failed' = 'denied';
    if (params.get('error') === null && code !== null && code !== '') {
      try {
        const tokens = await exchangeAuthorizationCode(client, {
          code,
          redirectUri: redirectUriText,
          codeVerifier: flow.verifier,
        });
        await connections.save(visitorId, tokens);
        outcome = 'connected';
      } catch (error) {
        if (!(error instanceof UpstreamError)) throw error;
        guard.report(error);
        outcome = 'failed';
      }
    }
    const target = new URL(flow.returnTo, redirectUri);
    target.searchParams.set('cloudconvert', outcome);
    const headers = new Headers({ Location: target.href });
    headers.append('Set-Cookie', serializeCookie(flowCookie, '', { maxAge: 0, secure: secureCookies }));
    return new Response(null, { status: 303, headers });
  };

  const token = async (context: RouteContext): Promise<Response> => {
    const { request, clientIp } = context;
    const batch = parseTokenRequest(await guard.readJson(request), rules);
    const visitorId = await knownVisitor(request);
    if (visitorId === undefined) throw notConnected();
    await guard.spend(context, batch.files.length);
    const tokens = await connections.accessToken(visitorId);
    const expiresAt = new Date(tokens.expiresAt * 1000).toISOString();
    await onIssue?.({
      provider: 'cloudconvert',
      kind: 'cloudconvert-access-token',
      files: batch.files,
      to: batch.to,
      clientIp,
      expiresAt,
      visitorId,
    });
    const body: CloudConvertAccessTokenResponse = {
      provider: 'cloudconvert',
      accessToken: tokens.accessToken,
      expiresAt,
    };
    return jsonResponse(body);
  };

  const logout = async ({ request }: RouteContext): Promise<Response> => {
    const visitorId = await knownVisitor(request);
    if (visitorId !== undefined) await connections.forget(visitorId);
    return jsonResponse({ disconnected: true });
  };

  return (request) => {
    switch (new URL(request.url).pathname) {
      case paths.start:
        return guard.serve(request, { methods: ['GET'], checkOrigin: false, serve: start });
      case callbackPath:
        return guard.serve(request, { methods: ['GET'], checkOrigin: false, serve: callback });
      case paths.token:
        return guard.serve(request, { methods: ['POST'], checkOrigin: true, serve: token });
      case paths.logout:
        return guard.serve(request, { methods: ['POST'], checkOrigin: true, serve: logout });
      default:
        return guard.notFound(request);
    }
  };
}

function scopeList(value: unknown): readonly string[] {
  if (value === undefined) return DEFAULT_OAUTH_SCOPES;
  if (
    !Array.isArray(value) ||
    !value.every((scope) => typeof scope === 'string' && /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope))
  ) {
    throw new ConfigurationError('The option "scopes" must be an array of scope names.');
  }
  if (!DEFAULT_OAUTH_SCOPES.every((scope) => value.includes(scope))) {
    throw new ConfigurationError(
      'The option "scopes" must include task.read and task.write: the element needs both.',
    );
  }
  return value as string[];
}

function storeOption(value: unknown): TokenStore {
  const store = value as Partial<TokenStore> | undefined;
  if (
    typeof store?.get !== 'function' ||
    typeof store.set !== 'function' ||
    typeof store.delete !== 'function'
  ) {
    throw new ConfigurationError('The option "store" is required: a TokenStore such as memoryTokenStore().');
  }
  return store as TokenStore;
}

function returnToOption(value: unknown, redirectUri: URL): string {
  if (value === undefined) return '/';
  const text = requireText(value, 'returnTo');
  const path = safeReturnPath(text);
  if (path !== undefined) return path;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url?.origin !== redirectUri.origin) {
    throw new ConfigurationError(
      'The option "returnTo" must be a path or a URL on the origin of "redirectUri".',
    );
  }
  return url.href;
}

/**
 * A local path (`/…`, not `//…` nor `/\…`, which browsers treat as other hosts), or `undefined`. It is checked
 * again once dot segments are resolved: `/.//evil.example` would become the path `//evil.example`.
 */
function safeReturnPath(value: string | null): string | undefined {
  if (value === null || !/^\/(?![/\\])/.test(value) || /[\p{Cc}\\]/u.test(value) || value.length > 2048) {
    return undefined;
  }
  if (new URL(value, 'https://site.invalid').pathname.startsWith('//')) return undefined;
  return value;
}

/** Compares two strings in time independent of where they differ. */
function equalStrings(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index += 1) difference |= a.charCodeAt(index) ^ b.charCodeAt(index);
  return difference === 0;
}
