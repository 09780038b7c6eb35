import { connectionClientIp, type ClientIpResolver } from './client-ip.js';
import { integerOption, optionalFunction } from './config-checks.js';
import { RequestError } from './errors.js';
import { createOriginPolicy, type OriginPolicy, type OriginVerdict } from './origin-policy.js';
import { createRateLimiter, type RateLimiter, type RateLimitOptions } from './rate-limiter.js';
import { DEFAULT_MAX_BODY_BYTES, readJsonBody } from './request-body.js';
import { NO_STORE_HEADERS, responseForError, withHeaders } from './responses.js';

/** A value or a promise of it. */
export type Awaitable<T> = T | Promise<T>;

/** A Web-standard request handler: what every factory of the server kit returns. */
export type RequestHandler = (request: Request) => Promise<Response>;

/** Options every handler of the server kit accepts. */
export interface EndpointOptions {
  /**
   * Origins (scheme, host, port) whose pages may call the endpoint cross-origin, e.g. `['https://shop.example']`.
   * The endpoint's own origin is always allowed. `*` is refused.
   */
  allowedOrigins?: readonly string[];
  /** Request headers cross-origin pages may send besides `Content-Type` (e.g. your CSRF header). */
  allowedHeaders?: readonly string[];
  /**
   * Your own access check (session, login, CSRF token). Return `false` or throw to answer 403. Read headers and
   * cookies only: the body belongs to the handler.
   */
  authorize?: (request: Request) => Awaitable<boolean>;
  /** Requests per client IP and window; default 30 per minute; `false` turns limiting off. */
  rateLimit?: RateLimitOptions | false;
  /**
   * How to read the client's IP. Default: the TCP peer address recorded by `toNodeListener`, no header trusted.
   * Use `clientIpFromHeader('cf-connecting-ip')` on Cloudflare, `clientIpFromForwardedFor(1)` behind one proxy.
   */
  clientIp?: ClientIpResolver;
  /** Largest accepted request body in bytes; default 65536. */
  maxBodyBytes?: number;
  /**
   * Called with failures the caller only sees as a generic 500/502 (upstream errors, bugs), for your logs.
   * It never receives a credential.
   */
  onError?: (error: Error) => void;
}

/** What a route learns about the request it serves. */
export interface RouteContext {
  readonly request: Request;
  readonly clientIp: string | undefined;
  readonly verdict: OriginVerdict;
}

/** One route of a handler, served through {@link EndpointGuard.serve}. */
export interface Route {
  /** Methods it answers (besides `OPTIONS` preflights when `checkOrigin` is set). */
  readonly methods: readonly string[];
  /** Whether browser requests from origins outside the allowlist are refused (and preflights answered). */
  readonly checkOrigin: boolean;
  /** The limiter counting this route's requests; the guard's own when absent. */
  readonly limiter?: RateLimiter;
  serve(context: RouteContext): Promise<Response>;
}

/** The checks every route of every handler goes through, built once from {@link EndpointOptions}. */
export interface EndpointGuard {
  readonly maxBodyBytes: number;
  /** Answers `request` with `route` after preflight, method, origin, rate-limit and authorize checks. */
  serve(request: Request, route: Route): Promise<Response>;
  /** Reads the JSON body within `maxBodyBytes`. */
  readJson(request: Request): Promise<unknown>;
  /** Passes an error to `onError` (if set), swallowing whatever that hook throws. */
  report(error: unknown): void;
  /** The answer for a request that no route matches. */
  notFound(request: Request): Promise<Response>;
}

const DEFAULT_RATE_LIMIT: RateLimitOptions = { windowMs: 60_000, max: 30 };

/** Validates the shared options and builds the guard; throws `ConfigurationError` on a bad setup. */
export function createEndpointGuard(options: EndpointOptions): EndpointGuard {
  const origins: OriginPolicy = createOriginPolicy(options.allowedOrigins, options.allowedHeaders);
  const limiter = createRateLimiter(options.rateLimit, DEFAULT_RATE_LIMIT, 'rateLimit');
  const resolveClientIp = optionalFunction(options.clientIp, 'clientIp') ?? connectionClientIp;
  const authorize = optionalFunction(options.authorize, 'authorize');
  const onError = optionalFunction(options.onError, 'onError');
  const maxBodyBytes = integerOption(
    options.maxBodyBytes,
    'maxBodyBytes',
    DEFAULT_MAX_BODY_BYTES,
    1024,
    1024 * 1024,
  );

  const report = (error: unknown): void => {
    if (error instanceof RequestError || onError === undefined) return;
    try {
      onError(error instanceof Error ? error : new Error('Non-error thrown'));
    } catch {
      // A failing logger must not change the answer.
    }
  };

  const isAuthorized = async (request: Request): Promise<boolean> => {
    if (authorize === undefined) return true;
    try {
      // Only a real `true` lets the request through: a hook returning a truthy object by mistake must not.
      const allowed: unknown = await authorize(request);
      return allowed === true;
    } catch (error) {
      report(error);
      return false;
    }
  };

  const serve = async (request: Request, route: Route): Promise<Response> => {
    const verdict = origins.verdict(request);
    if (request.method === 'OPTIONS' && route.checkOrigin)
      return origins.preflight(request, [...route.methods, 'OPTIONS']);
    let response: Response;
    try {
      if (!route.methods.includes(request.method)) {
        throw new RequestError(405, 'method-not-allowed', `Use ${route.methods.join(' or ')}.`, {
          Allow: route.methods.join(', '),
        });
      }
      if (route.checkOrigin && verdict.kind === 'refused') {
        throw new RequestError(403, 'origin-not-allowed', 'This origin may not use this endpoint.');
      }
      const clientIp = resolveClientIp(request);
      const decision = (route.limiter ?? limiter).take(clientIp ?? 'unknown-client');
      if (!decision.allowed) {
        throw new RequestError(429, 'rate-limited', 'Too many requests; try again later.', {
          'Retry-After': String(decision.retryAfterSec),
        });
      }
      if (!(await isAuthorized(request)))
        throw new RequestError(403, 'forbidden', 'You may not use this endpoint.');
      response = await route.serve({ request, clientIp, verdict });
    } catch (error) {
      report(error);
      response = responseForError(error);
    }
    return withHeaders(response, { ...NO_STORE_HEADERS, ...origins.corsHeaders(verdict) });
  };

  const notFound = (request: Request): Promise<Response> =>
    serve(request, {
      methods: [request.method],
      checkOrigin: false,
      serve: () => Promise.reject(new RequestError(404, 'not-found', 'There is nothing at this address.')),
    });

  return {
    maxBodyBytes,
    serve,
    readJson: (request) => readJsonBody(request, maxBodyBytes),
    report,
    notFound,
  };
}
