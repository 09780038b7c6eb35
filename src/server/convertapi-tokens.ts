import type { TokenRequest } from '../contract/token-request.js';
import type { ConvertApiTokenAnswer } from '../contract/token-response.js';
import { batchLimits } from './batch-limits.js';
import {
  eitherOne,
  integerOption,
  optionalFunction,
  requireSecrets,
  requireText,
  serviceBaseUrl,
} from './config-checks.js';
import { createConvertApiToken } from './convertapi-token-create.js';
import { signConvertApiJwt } from './convertapi-jwt.js';
import {
  createEndpointGuard,
  type EndpointOptions,
  type RequestHandler,
  type RouteContext,
} from './endpoint-guard.js';
import { ConfigurationError } from './errors.js';
import { parseFormatAllowlist, type FormatAllowlist } from './format-allowlist.js';
import type { IssueHook } from './issue-event.js';
import { randomAlphanumeric } from './random.js';
import { jsonResponse } from './responses.js';
import { parseTokenRequest } from './token-request.js';
import type { FetchFunction } from './upstream.js';

/** Longest lifetime, in seconds, the kit will ever grant a ConvertAPI credential. */
export const CONVERTAPI_LIFETIME_CAP = 3600;
/** Default lifetime of a ConvertAPI credential, in seconds. */
export const CONVERTAPI_DEFAULT_LIFETIME = 600;
/** ConvertAPI's production base URL. */
export const CONVERTAPI_DEFAULT_BASE = 'https://v2.convertapi.com';

const MIN_SECRET_BYTES = 12;

/** Options of {@link convertApiTokens}. */
export interface ConvertApiTokensOptions extends EndpointOptions {
  /** The ConvertAPI secret (e.g. `process.env.CONVERTAPI_SECRET`). Give this or `secrets`. */
  secret?: string;
  /** Rotation list, current secret first: credentials are always made with the first. */
  secrets?: readonly string[];
  /** The ConvertAPI API key, written into each JWT (required in `jwt` mode). */
  apiKey?: string;
  /**
   * `jwt` (default): sign a JWT locally, no call to ConvertAPI. `token`: create a token with
   * `POST /token/create` (one call to ConvertAPI per batch).
   */
  mode?: 'jwt' | 'token';
  /** Seconds a credential stays valid; default 600, at most 3600. */
  lifetime?: number;
  /** Most requests one credential allows; RequestCount is the number of files, capped here. Default 25. */
  maxRequestsPerBatch?: number;
  /** Most files per batch; default 25. */
  maxFiles?: number;
  /** Largest file in bytes, as declared by the browser; default 100 MiB. */
  maxFileSize?: number;
  /**
   * Conversions offered. The credential itself is not bound to formats (ConvertAPI has no such claim): this
   * refuses requests for other formats, it cannot stop a holder of a valid credential.
   */
  allowedFormats?: FormatAllowlist;
  /** Write the client's IP into the JWT (`UserIp`) so it only works from there. `jwt` mode only. */
  bindClientIp?: boolean;
  /** ConvertAPI base URL; default `https://v2.convertapi.com`. */
  apiBase?: string;
  /** Audit hook; see {@link IssueHook}. */
  onIssue?: IssueHook;
  /** The `fetch` used for `token` mode; default the global one. */
  fetch?: FetchFunction;
}

/** The answer of a ConvertAPI token endpoint: the contract's answer, with every field set. */
export interface ConvertApiTokenResponse extends ConvertApiTokenAnswer {
  readonly expiresAt: string;
  readonly requestCount: number;
}

/**
 * The ConvertAPI token endpoint: `POST` a batch description, get a short-lived credential allowing one request per
 * file. Throws `ConfigurationError` at once on an unsafe or incomplete setup.
 */
export function convertApiTokens(options: ConvertApiTokensOptions): RequestHandler {
  const mode = modeOption(options.mode);
  const secrets = requireSecrets(
    eitherOne(options.secret, options.secrets, '"secret" or "secrets"'),
    'secret',
    MIN_SECRET_BYTES,
  );
  const secret = secrets[0] as string;
  const apiKey = mode === 'jwt' ? requireText(options.apiKey, 'apiKey') : undefined;
  const lifetime = lifetimeOption(options.lifetime);
  const maxRequestsPerBatch = integerOption(options.maxRequestsPerBatch, 'maxRequestsPerBatch', 25, 1, 1000);
  const bindClientIp = options.bindClientIp ?? false;
  if (typeof bindClientIp !== 'boolean')
    throw new ConfigurationError('The option "bindClientIp" must be a boolean.');
  if (bindClientIp && mode === 'token') {
    throw new ConfigurationError(
      'The option "bindClientIp" needs mode "jwt": ConvertAPI tokens cannot be bound to an IP.',
    );
  }
  const apiBase = serviceBaseUrl(options.apiBase, 'apiBase', CONVERTAPI_DEFAULT_BASE);
  const onIssue = optionalFunction(options.onIssue, 'onIssue');
  const fetchFn = optionalFunction(options.fetch, 'fetch') ?? ((input, init) => fetch(input, init));
  const rules = {
    provider: 'convertapi' as const,
    ...batchLimits(options),
    formats: parseFormatAllowlist(options.allowedFormats, 'allowedFormats', false),
  };
  const guard = createEndpointGuard(options, 'convertapi');

  const issue = async (
    batch: TokenRequest,
    clientIp: string | undefined,
  ): Promise<{ token: string; expiresAt: Date }> => {
    const requestCount = Math.min(batch.files.length, maxRequestsPerBatch);
    if (mode === 'token') return createConvertApiToken(fetchFn, apiBase, secret, requestCount, lifetime);
    if (bindClientIp && clientIp === undefined) {
      throw new ConfigurationError(
        'bindClientIp is set but the client IP is unknown: configure the "clientIp" option.',
      );
    }
    const validUntil = Math.floor(Date.now() / 1000) + lifetime;
    const claims = { id: randomAlphanumeric(8), requestCount, validUntil, apiKey: apiKey as string };
    const token = await signConvertApiJwt(secret, bindClientIp ? { ...claims, userIp: clientIp } : claims);
    return { token, expiresAt: new Date(validUntil * 1000) };
  };

  const serve = async (context: RouteContext): Promise<Response> => {
    const { request, clientIp } = context;
    const batch = parseTokenRequest(await guard.readJson(request), rules);
    const requestCount = Math.min(batch.files.length, maxRequestsPerBatch);
    await guard.spend(context, requestCount);
    const { token, expiresAt } = await issue(batch, clientIp);
    await onIssue?.({
      provider: 'convertapi',
      kind: mode === 'jwt' ? 'convertapi-jwt' : 'convertapi-token',
      files: batch.files,
      to: batch.to,
      clientIp,
      expiresAt: expiresAt.toISOString(),
      requestCount,
    });
    const body: ConvertApiTokenResponse = {
      provider: 'convertapi',
      token,
      expiresAt: expiresAt.toISOString(),
      requestCount,
    };
    return jsonResponse(body);
  };

  return (request) => guard.serve(request, { methods: ['POST'], checkOrigin: true, serve });
}

function modeOption(value: unknown): 'jwt' | 'token' {
  if (value === undefined) return 'jwt';
  if (value !== 'jwt' && value !== 'token')
    throw new ConfigurationError('The option "mode" must be "jwt" or "token".');
  return value;
}

function lifetimeOption(value: unknown): number {
  if (typeof value === 'number' && value > CONVERTAPI_LIFETIME_CAP) {
    throw new ConfigurationError(
      `The option "lifetime" is above the cap of ${CONVERTAPI_LIFETIME_CAP} seconds: browser credentials must be short-lived.`,
    );
  }
  return integerOption(value, 'lifetime', CONVERTAPI_DEFAULT_LIFETIME, 30, CONVERTAPI_LIFETIME_CAP);
}
