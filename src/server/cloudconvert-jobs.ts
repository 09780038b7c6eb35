import { cloudConvertJobBody } from '../contract/cloudconvert-job.js';
import { inputFormatOf } from '../contract/file-name.js';
import type { CloudConvertJobAnswer } from '../contract/token-response.js';
import { batchLimits } from './batch-limits.js';
import { checkCloudConvertApiKey } from './cloudconvert-api-key.js';
import { CLOUDCONVERT_API_BASE, isImportableUrl } from './cloudconvert-hosts.js';
import {
  parseJobEnvelope,
  statusView,
  uploadView,
  type JobView,
  type UploadTaskView,
} from './cloudconvert-job-view.js';
import {
  eitherOne,
  integerOption,
  optionalFunction,
  pathOption,
  requireSecrets,
  requireText,
  serviceBaseUrl,
} from './config-checks.js';
import {
  createEndpointGuard,
  type Awaitable,
  type EndpointOptions,
  type RequestHandler,
  type RouteContext,
} from './endpoint-guard.js';
import { ConfigurationError, RequestError, UpstreamError } from './errors.js';
import { parseFormatAllowlist, type FormatAllowlist } from './format-allowlist.js';
import type { IssueHook } from './issue-event.js';
import { createJobTickets, keyFingerprint } from './job-ticket.js';
import type { OriginVerdict } from './origin-policy.js';
import { isLoopbackHost } from '../contract/url-policy.js';
import type { RateLimitOptions } from './rate-limiter.js';
import { jsonResponse } from './responses.js';
import { createVisitorCookies, type VisitorCookies } from './visitor-cookie.js';
import { parseTokenRequest } from './token-request.js';
import { fetchUpstreamJson, type FetchFunction } from './upstream.js';

/** Least length of a ticket secret, in bytes. */
export const MIN_TICKET_SECRET_BYTES = 32;
/** Default path under which job status is served. */
export const DEFAULT_STATUS_PATH = '/api/convert/jobs';

const TICKET_PATTERN = /^[A-Za-z0-9_.-]{1,4096}$/;

/** Options of {@link cloudConvertJobs}. */
export interface CloudConvertJobsOptions extends EndpointOptions {
  /** The CloudConvert API key (e.g. `process.env.CLOUDCONVERT_API_KEY`). Give this or `apiKeys`. */
  apiKey?: string;
  /** Rotation list, current key first: jobs are created with the first; status uses the key that created the job. */
  apiKeys?: readonly string[];
  /** Use CloudConvert's sandbox API host. */
  sandbox?: boolean;
  /** API base URL override (e.g. a local sandbox), instead of the production or sandbox host. */
  apiBase?: string;
  /** Conversions offered (required: the site pays for every job). */
  formats: FormatAllowlist;
  /** Most files per batch; default 25. */
  maxFiles?: number;
  /**
   * Largest file in bytes, as declared by the browser; default 100 MiB. CloudConvert's upload form sets no size
   * limit, so this refuses honest oversized batches; it cannot stop a determined uploader.
   */
  maxFileSize?: number;
  /** Secret (≥ 32 bytes) for the job tickets in status URLs; or a rotation list, current first. */
  ticketSecret: string | readonly string[];
  /** Seconds a status URL keeps working; default 3600, at most 86400 (CloudConvert deletes jobs after 24 h). */
  ticketLifetime?: number;
  /** Path of the status route; default `/api/convert/jobs` (status URLs are `<statusPath>/<ticket>`). */
  statusPath?: string;
  /** Rate limit of status requests per client (polling is frequent); default 240 per minute. */
  statusRateLimit?: RateLimitOptions | false;
  /**
   * Binds each status ticket to the visitor who created the job, so a leaked status URL opens nothing for anyone
   * else. `'cookie'`: the kit's own signed, HttpOnly, `SameSite=Lax` cookie (set on the first job; works for
   * pages on the endpoint's site). A function: your own visitor or session id (`undefined` refuses with 401).
   * Default: unbound (the ticket alone opens the job, for `ticketLifetime`).
   */
  bindTickets?: 'cookie' | ((request: Request) => Awaitable<string | undefined>);
  /** Tag put on every job created; default `convert-uploader`. */
  tag?: string;
  /** Audit hook; see {@link IssueHook}. */
  onIssue?: IssueHook;
  /** The `fetch` used to reach CloudConvert; default the global one. */
  fetch?: FetchFunction;
}

/** The answer to a job request in server-job mode: the contract's answer, with every field set. */
export interface CloudConvertJobResponse extends CloudConvertJobAnswer {
  readonly job: JobView<UploadTaskView>;
  /** Path (to resolve against the endpoint URL) where the job's progress is served. */
  readonly statusUrl: string;
  readonly expiresAt: string;
}

/**
 * CloudConvert server-job mode: `POST` a batch description and the handler creates one CloudConvert job with its
 * API key, answering only the upload forms and a status URL; `GET <statusPath>/<ticket>` reports that job's
 * progress and results. The browser never holds a CloudConvert credential. Throws `ConfigurationError` at once on
 * an unsafe or incomplete setup.
 */
export function cloudConvertJobs(options: CloudConvertJobsOptions): RequestHandler {
  const apiKeys = eitherOne(options.apiKey, options.apiKeys, '"apiKey" or "apiKeys"') ?? [];
  if (apiKeys.length === 0) throw new ConfigurationError('The option "apiKey" is required.');
  for (const key of apiKeys) checkCloudConvertApiKey(requireText(key, 'apiKey'), 'apiKey');
  const sandbox = options.sandbox ?? false;
  if (typeof sandbox !== 'boolean') throw new ConfigurationError('The option "sandbox" must be a boolean.');
  const apiBase = serviceBaseUrl(
    options.apiBase,
    'apiBase',
    CLOUDCONVERT_API_BASE[sandbox ? 'sandbox' : 'production'],
  );
  const rules = {
    provider: 'cloudconvert' as const,
    ...batchLimits(options),
    formats: parseFormatAllowlist(options.formats, 'formats', true),
    importUrl: (url: URL) => isImportableUrl(url, apiBase),
  };
  const ticketSecrets = requireSecrets(options.ticketSecret, 'ticketSecret', MIN_TICKET_SECRET_BYTES);
  const ticketLifetime = integerOption(options.ticketLifetime, 'ticketLifetime', 3600, 60, 86_400);
  const statusPrefix = `${pathOption(options.statusPath, 'statusPath', DEFAULT_STATUS_PATH)}/`;
  const tag = options.tag === undefined ? 'convert-uploader' : requireText(options.tag, 'tag').slice(0, 128);
  const onIssue = optionalFunction(options.onIssue, 'onIssue');
  const fetchFn = optionalFunction(options.fetch, 'fetch') ?? ((input, init) => fetch(input, init));
  const guard = createEndpointGuard(options, 'cloudconvert-jobs');
  const statusLimiter = guard.limiter(
    options.statusRateLimit,
    { windowMs: 60_000, max: 240 },
    'statusRateLimit',
    'status',
  );
  const tickets = createJobTickets(ticketSecrets, ticketLifetime);
  const visitors = ticketBinding(options.bindTickets, ticketSecrets);
  let fingerprints: Promise<string[]> | undefined;
  const keyFingerprints = (): Promise<string[]> =>
    (fingerprints ??= Promise.all(apiKeys.map(keyFingerprint)));
  const currentKey = apiKeys[0] as string;

  const callCloudConvert = (path: string, apiKey: string, init: RequestInit = {}): Promise<unknown> =>
    fetchUpstreamJson(
      fetchFn,
      `${apiBase}${path}`,
      { ...init, headers: withAuthorization(init.headers, apiKey) },
      'CloudConvert',
    );

  const createJob = async (context: RouteContext): Promise<Response> => {
    const { request, clientIp, verdict } = context;
    const batch = parseTokenRequest(await guard.readJson(request), rules);
    const visitor = await visitors?.identify(request, true);
    await guard.spend(context, batch.files.length);
    const files = batch.files.map((file) => ({ ...file, inputFormat: inputFormatOf(file.name, batch.from) }));
    const job = parseJobEnvelope(
      await callCloudConvert('/jobs', currentKey, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(cloudConvertJobBody(files, batch.to, tag)),
      }),
    );
    const view = uploadView(job);
    const [fingerprint] = await keyFingerprints();
    const { ticket, expiresAt } = await tickets.issue({
      jobId: job.id,
      keyFingerprint: fingerprint as string,
      caller: callerOf(verdict),
      ...(visitor === undefined ? {} : { visitor: visitor.id }),
    });
    await onIssue?.({
      provider: 'cloudconvert',
      kind: 'cloudconvert-job',
      files: batch.files,
      to: batch.to,
      clientIp,
      expiresAt: expiresAt.toISOString(),
      jobId: job.id,
      ...(visitor === undefined ? {} : { visitorId: visitor.id }),
    });
    const body: CloudConvertJobResponse = {
      provider: 'cloudconvert',
      job: view,
      statusUrl: `${statusPrefix}${ticket}`,
      expiresAt: expiresAt.toISOString(),
    };
    return jsonResponse(
      body,
      200,
      visitor?.setCookie === undefined ? {} : { 'Set-Cookie': visitor.setCookie },
    );
  };

  const jobStatus = async ({ request, verdict }: RouteContext): Promise<Response> => {
    const ticket = new URL(request.url).pathname.slice(statusPrefix.length);
    const opened = TICKET_PATTERN.test(ticket)
      ? await tickets.open(ticket)
      : ({ ok: false, reason: 'invalid' } as const);
    if (!opened.ok && opened.reason === 'expired') {
      throw new RequestError(410, 'expired', 'This status address has expired.');
    }
    if (!opened.ok || !callerMatches(opened.claims.caller, verdict)) {
      throw new RequestError(404, 'not-found', 'There is no such job.');
    }
    if (opened.claims.visitor !== undefined || visitors !== undefined) {
      // A bound ticket opens only for its visitor (and a binding handler opens no unbound ticket).
      const visitor = await visitors?.identify(request, false);
      if (visitor === undefined || visitor.id !== opened.claims.visitor) {
        throw new RequestError(404, 'not-found', 'There is no such job.');
      }
    }
    const { jobId } = opened.claims;
    const index = (await keyFingerprints()).indexOf(opened.claims.keyFingerprint);
    const apiKey = apiKeys[index] ?? currentKey;
    let body: unknown;
    try {
      body = await callCloudConvert(`/jobs/${encodeURIComponent(jobId)}`, apiKey);
    } catch (error) {
      if (error instanceof UpstreamError && error.upstreamStatus === 404) {
        throw new RequestError(404, 'not-found', 'This job no longer exists.');
      }
      throw error;
    }
    const job = parseJobEnvelope(body);
    if (job.id !== jobId) throw new UpstreamError('CloudConvert answered a different job.');
    return jsonResponse({ provider: 'cloudconvert', job: statusView(job) });
  };

  return (request) => {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith(statusPrefix)) {
      return guard.serve(request, {
        methods: ['GET'],
        checkOrigin: true,
        limiter: statusLimiter,
        serve: jobStatus,
      });
    }
    return guard.serve(request, { methods: ['POST'], checkOrigin: true, serve: createJob });
  };
}

/** `headers` plus the API key as Bearer and a JSON `Accept`. */
function withAuthorization(headers: ConstructorParameters<typeof Headers>[0], apiKey: string): Headers {
  const merged = new Headers(headers);
  merged.set('Authorization', `Bearer ${apiKey}`);
  merged.set('Accept', 'application/json');
  return merged;
}

/** Whom a ticket is issued to: the listed cross-origin page, or `self` (own origin, non-browser clients). */
function callerOf(verdict: OriginVerdict): string {
  return verdict.kind === 'cross-origin' ? verdict.origin : 'self';
}

/** A ticket is honoured for its own caller, and for non-browser clients (which hold it as a bearer capability). */
function callerMatches(caller: string, verdict: OriginVerdict): boolean {
  return verdict.kind === 'non-browser' || callerOf(verdict) === caller;
}

/** Who is asking, for tickets bound to a visitor; `setCookie` when the kit's cookie was just created. */
interface TicketVisitor {
  readonly id: string;
  readonly setCookie?: string;
}

/** Reads (and, on job creation, makes) the visitor a ticket is bound to. */
interface TicketBinding {
  identify(request: Request, create: boolean): Promise<TicketVisitor | undefined>;
}

function ticketBinding(value: unknown, secrets: readonly string[]): TicketBinding | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'function') {
    const visitorId = value as (request: Request) => Awaitable<string | undefined>;
    return {
      async identify(request, create) {
        const id = await visitorId(request);
        if (typeof id === 'string' && id !== '') return { id };
        if (create) throw new RequestError(401, 'unauthorized', 'Sign in to this site first.');
        return undefined;
      },
    };
  }
  if (value !== 'cookie') {
    throw new ConfigurationError('The option "bindTickets" must be "cookie" or a function.');
  }
  // Secure cookies (`__Host-` name) except for plain-http development on a loopback host.
  const cookies = new Map<boolean, VisitorCookies>(
    [true, false].map((secure) => [
      secure,
      createVisitorCookies(secrets, secure, 'convert-uploader-jobs', 'cloudconvert-job-visitor'),
    ]),
  );
  return {
    async identify(request, create) {
      const url = new URL(request.url);
      const jar = cookies.get(!(url.protocol === 'http:' && isLoopbackHost(url.hostname))) as VisitorCookies;
      const id = await jar.read(request);
      if (id !== undefined) return { id };
      if (!create) return undefined;
      const made = await jar.create();
      return { id: made.visitorId, setCookie: made.setCookie };
    },
  };
}
