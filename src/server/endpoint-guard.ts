import { connectionClientIp, type ClientIpResolver } from './client-ip.js';
import { integerOption, optionalFunction } from './config-checks.js';
import { ConfigurationError, RequestError } from './errors.js';
import { canonicalIp, clientKey } from './ip-address.js';
import { createIssuanceBudget, type IssuanceBudgetOptions } from './issuance-budget.js';
import { createOriginPolicy, type OriginPolicy, type OriginVerdict } from './origin-policy.js';
import { memoryRateLimitStore, type RateLimitStore } from './rate-limit-store.js';
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
   * Where the rate limits and the issuance budget count: default a `memoryRateLimitStore()` of this handler
   * (per instance). With several instances, pass one shared store, e.g. `redisRateLimitStore(client)`.
   */
  rateLimitStore?: RateLimitStore;
  /**
   * IPv6 clients are counted per network of this many leading bits: default 64 (one subscriber or host gets a
   * whole /64, so every address in it is the same client). Use 56 or 48 for stricter limits, 128 for none.
   */
  ipv6Prefix?: number;
  /**
   * How to read the client's IP. Default: the TCP peer address recorded by `toNodeListener` (or by
   * `rememberConnectionAddress`), no header trusted. Use `clientIpFromHeader('cf-connecting-ip')` on Cloudflare,
   * `clientIpFromHeader('x-real-ip')` on Vercel, `clientIpFromForwardedFor(1)` behind one proxy of yours.
   * Without this option, a rate-limited request whose IP is unknown is refused with 500 (the handler would
   * otherwise count every visitor in one bucket): pass a resolver, or `rateLimit: false`.
   */
  clientIp?: ClientIpResolver;
  /**
   * The site's own origin(s), e.g. `'https://site.example'`. When set, a browser request is same-origin only when
   * its `Origin` is one of these, whatever the `Host` header says (it defeats DNS rebinding of a local
   * endpoint, and needs no trust in `Host` behind proxies).
   */
  publicOrigin?: string | readonly string[];
  /**
   * `Host` values this endpoint answers, e.g. `['site.example']` or `['localhost:3000']`; a request for any
   * other host gets 403. Default: any.
   */
  allowedHosts?: readonly string[];
  /**
   * Caps what callers can have issued per window, in conversions (files): `perOrigin` for each calling origin
   * (all non-browser callers count as one origin), `total` for all of them. Over the cap: 429. Off by default.
   */
  issuanceBudget?: IssuanceBudgetOptions;
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
  /** Another rate limiter counting in the handler's store, under `<handler>:<name>` keys. */
  limiter(
    options: RateLimitOptions | false | undefined,
    fallback: RateLimitOptions,
    option: string,
    name: string,
  ): RateLimiter;
  /** Counts `units` conversions against the issuance budget; throws 429 `rate-limited` over it. */
  spend(context: RouteContext, units: number): Promise<void>;
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

/**
 * Validates the shared options and builds the guard; throws `ConfigurationError` on a bad setup. `handlerName`
 * prefixes the keys the handler counts under in the rate-limit store.
 */
export function createEndpointGuard(options: EndpointOptions, handlerName: string): EndpointGuard {
  const origins: OriginPolicy = createOriginPolicy(options.allowedOrigins, options.allowedHeaders, {
    publicOrigin: options.publicOrigin,
    allowedHosts: options.allowedHosts,
  });
  const store = options.rateLimitStore ?? memoryRateLimitStore();
  if (typeof (store as Partial<RateLimitStore> | null)?.hit !== 'function') {
    throw new ConfigurationError(
      'The option "rateLimitStore" must be a RateLimitStore (an object with hit()).',
    );
  }
  const makeLimiter = (
    limit: RateLimitOptions | false | undefined,
    fallback: RateLimitOptions,
    option: string,
    name: string,
  ): RateLimiter => createRateLimiter(limit, fallback, option, store, `${handlerName}:${name}`);
  const limiter = makeLimiter(options.rateLimit, DEFAULT_RATE_LIMIT, 'rateLimit', 'requests');
  const budget = createIssuanceBudget(options.issuanceBudget, store, handlerName);
  const explicitClientIp = optionalFunction(options.clientIp, 'clientIp');
  const resolveClientIp = explicitClientIp ?? connectionClientIp;
  const ipv6Prefix = integerOption(options.ipv6Prefix, 'ipv6Prefix', 64, 16, 128);
  const authorize = optionalFunction(options.authorize, 'authorize');
  const onError = optionalFunction(options.onError, 'onError');
  const maxBodyBytes = integerOption(
    options.maxBodyBytes,
    'maxBodyBytes',
    DEFAULT_MAX_BODY_BYTES,
    1024,
    1024 * 1024,
  );
  let reportedUnknownClients = false;

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

  /** The client's IP in canonical form (or the resolver's own key), or `undefined`. */
  const clientIpOf = (request: Request): string | undefined => {
    const value = resolveClientIp(request);
    if (value === undefined || value === '') return undefined;
    return canonicalIp(value) ?? value;
  };

  /** Counts the request in `routeLimiter`; refuses it over the limit, or when it cannot tell clients apart. */
  const checkRate = async (routeLimiter: RateLimiter, clientIp: string | undefined): Promise<void> => {
    if (!routeLimiter.enabled) return;
    if (clientIp === undefined && explicitClientIp === undefined) {
      // A Web handler (Next.js, Deno, Bun) sees no socket: every visitor would share one bucket, and one
      // client could lock everyone out. Refuse until the host says how to tell clients apart.
      if (!reportedUnknownClients) {
        reportedUnknownClients = true;
        report(
          new ConfigurationError(
            'The client IP is unknown: set the "clientIp" option for your platform (see the server kit docs), or "rateLimit: false".',
          ),
        );
      }
      throw new RequestError(
        500,
        'internal-error',
        'The token endpoint cannot tell clients apart: its "clientIp" option is not set.',
      );
    }
    const key = clientIp === undefined ? 'unknown-client' : clientKey(clientIp, ipv6Prefix);
    const decision = await routeLimiter.take(key);
    if (!decision.allowed) {
      throw new RequestError(429, 'rate-limited', 'Too many requests; try again later.', {
        'Retry-After': String(decision.retryAfterSec),
      });
    }
  };

  const serve = async (request: Request, route: Route): Promise<Response> => {
    if (!origins.hostAllowed(request)) {
      return withHeaders(
        responseForError(new RequestError(403, 'origin-not-allowed', 'This host name is not served here.')),
        NO_STORE_HEADERS,
      );
    }
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
      const clientIp = clientIpOf(request);
      await checkRate(route.limiter ?? limiter, clientIp);
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
    limiter: makeLimiter,
    spend: (context, units) => budget.spend(context.verdict, units),
    serve,
    readJson: (request) => readJsonBody(request, maxBodyBytes),
    report,
    notFound,
  };
}
