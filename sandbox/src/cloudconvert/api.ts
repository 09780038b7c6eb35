import type { Conversions } from '../conversions/index.js';
import type { SandboxRequest, SandboxResponse, ServiceHandler } from '../types.js';
import type { Account } from './account.js';
import { requireScope, type Principal, type TokenAuthority } from './auth.js';
import { ApiError, invalidData, notFound } from './errors.js';
import { listFormats } from './formats.js';
import type { JobService } from './jobs.js';
import type { RateLimiter } from './rate-limit.js';
import type { Registry } from './registry.js';
import { readJsonBody } from './request-body.js';
import { apiError, apiJson, apiNoContent } from './responses.js';
import { parseIncludes, type Serializer } from './serialize.js';
import { isEmulatedOperation, validateJob, validateStandaloneTask } from './validation.js';

export interface ApiHostOptions {
  authority: TokenAuthority;
  account: Account;
  registry: Registry;
  jobs: JobService;
  serializer: Serializer;
  limiter: RateLimiter;
  conversions: Conversions;
}

/** A route; `param` is the path's first capture group (an id, `me`, an operation), or ''. */
type Route = (request: SandboxRequest, param: string) => Promise<SandboxResponse>;

const UUID = '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})';
const ANY_ID = '([^/]+)';

/**
 * The api host (`/v2/...`): jobs, tasks, users/me, convert/formats, plus the sandbox-only account
 * control `PATCH /__sandbox/account`.
 */
export function createApiHandler(options: ApiHostOptions): ServiceHandler {
  const { authority, account, registry, jobs, serializer, limiter, conversions } = options;

  /** Authenticates, checks the scope, and (for job/task routes) counts the request against the limit. */
  const guard = async (
    request: SandboxRequest,
    scope: Parameters<typeof requireScope>[1],
    rateLimited: boolean,
  ): Promise<{ principal: Principal; headers: Record<string, string> }> => {
    const principal = await authenticate(request, authority);
    requireScope(principal, scope);
    const headers = rateLimited ? limiter.hit() : {};
    return { principal, headers };
  };

  const taskOf = (id: string): NonNullable<ReturnType<Registry['task']>> => {
    const task = registry.task(id, account.id);
    if (!task) throw notFound('Task');
    return task;
  };
  const jobOf = (id: string): NonNullable<ReturnType<Registry['job']>> => {
    const job = registry.job(id, account.id);
    if (!job) throw notFound('Job');
    return job;
  };

  const routes: Array<[method: string, pattern: RegExp, route: Route]> = [
    [
      'GET',
      /^\/v2\/convert\/formats\/?$/,
      (request) => {
        request.credential = { kind: 'none', where: 'none' };
        return Promise.resolve(apiJson(200, { data: listFormats(request.url.searchParams, conversions) }));
      },
    ],
    [
      'POST',
      /^\/v2\/jobs\/?$/,
      async (request) => {
        const { headers } = await guard(request, 'task.write', true);
        const spec = validateJob(await readJsonBody(request));
        return apiJson(201, { data: serializer.job(jobs.createJob(spec)) }, headers);
      },
    ],
    [
      'GET',
      /^\/v2\/jobs\/?$/,
      async (request) => {
        const { headers } = await guard(request, 'task.read', true);
        const query = request.url.searchParams;
        const status = query.get('filter[status]');
        const tag = query.get('filter[tag]');
        const includes = parseIncludes(query);
        const list = registry
          .allJobs()
          .filter((job) => job.userId === account.id)
          .filter((job) => !status || registry.jobStatus(job) === status)
          .filter((job) => !tag || job.tag === tag)
          .reverse();
        return apiJson(
          200,
          serializer.page(list, 'jobs', query, (job) => serializer.job(job, includes)),
          headers,
        );
      },
    ],
    [
      'GET',
      new RegExp(`^/v2/jobs/${ANY_ID}/?$`),
      async (request, id) => {
        const { headers } = await guard(request, 'task.read', true);
        const includes = { ...parseIncludes(request.url.searchParams), tasks: true };
        return apiJson(200, { data: serializer.job(jobOf(id), includes) }, headers);
      },
    ],
    [
      'DELETE',
      new RegExp(`^/v2/jobs/${ANY_ID}/?$`),
      async (request, id) => {
        const { headers } = await guard(request, 'task.write', true);
        await jobs.deleteJob(jobOf(id));
        return apiNoContent(headers);
      },
    ],
    [
      'GET',
      /^\/v2\/tasks\/?$/,
      async (request) => {
        const { headers } = await guard(request, 'task.read', true);
        const query = request.url.searchParams;
        const jobId = query.get('filter[job_id]');
        const status = query.get('filter[status]');
        const operation = query.get('filter[operation]');
        const includes = parseIncludes(query);
        const list = registry
          .allTasks()
          .filter((task) => task.userId === account.id)
          .filter((task) => !jobId || task.jobId === jobId)
          .filter((task) => !status || task.status === status)
          .filter((task) => !operation || task.operation === operation)
          .reverse();
        return apiJson(
          200,
          serializer.page(list, 'tasks', query, (task) => serializer.task(task, includes)),
          headers,
        );
      },
    ],
    [
      'GET',
      new RegExp(`^/v2/tasks/${ANY_ID}/?$`),
      async (request, id) => {
        const { headers } = await guard(request, 'task.read', true);
        return apiJson(
          200,
          { data: serializer.task(taskOf(id), parseIncludes(request.url.searchParams)) },
          headers,
        );
      },
    ],
    [
      'DELETE',
      new RegExp(`^/v2/tasks/${ANY_ID}/?$`),
      async (request, id) => {
        const { headers } = await guard(request, 'task.write', true);
        await jobs.deleteTask(taskOf(id));
        return apiNoContent(headers);
      },
    ],
    [
      'POST',
      new RegExp(`^/v2/tasks/${UUID}/cancel/?$`),
      async (request, id) => {
        const { headers } = await guard(request, 'task.write', true);
        const task = taskOf(id);
        jobs.cancelTask(task);
        return apiJson(200, { data: serializer.task(task) }, headers);
      },
    ],
    [
      'POST',
      new RegExp(`^/v2/tasks/${UUID}/retry/?$`),
      async (request, id) => {
        const { headers } = await guard(request, 'task.write', true);
        return apiJson(201, { data: serializer.task(jobs.retryTask(taskOf(id))) }, headers);
      },
    ],
    [
      'GET',
      /^\/v2\/users\/(me|\d+)\/?$/,
      async (request, who) => {
        await guard(request, 'user.read', false);
        if (who !== 'me' && who !== String(account.id)) throw notFound('Resource');
        return apiJson(200, { data: serializer.user(account) });
      },
    ],
    [
      'POST',
      /^\/v2\/([a-z-]+(?:\/[a-z-]+)*)\/?$/,
      async (request, operation) => {
        if (!isEmulatedOperation(operation)) throw notFound('Resource');
        const { headers } = await guard(request, 'task.write', true);
        const spec = validateStandaloneTask(operation, await readJsonBody(request));
        return apiJson(201, { data: serializer.task(jobs.createTask(spec)) }, headers);
      },
    ],
    [
      'PATCH',
      /^\/__sandbox\/account\/?$/,
      async (request) => {
        await authenticate(request, authority);
        applyAccountControl(account, limiter, await readJsonBody(request));
        return apiJson(200, {
          data: { credits: account.credits, rate_limit_per_minute: account.rateLimitPerMinute },
        });
      },
    ],
  ];

  return async (request) => {
    const path = request.url.pathname;
    const matches = routes.filter(([, pattern]) => pattern.test(path));
    if (matches.length === 0) return undefined;
    const match = matches.find(([method]) => method === request.method);
    if (!match) return apiJson(405, { message: 'The method is not allowed.', code: 'METHOD_NOT_ALLOWED' });
    try {
      return await match[2](request, match[1].exec(path)?.[1] ?? '');
    } catch (error) {
      if (error instanceof ApiError) return apiError(error);
      throw error;
    }
  };
}

/** Checks the bearer token and records how the caller authenticated (never the value). */
async function authenticate(request: SandboxRequest, authority: TokenAuthority): Promise<Principal> {
  const hasHeader = request.headers.authorization !== undefined;
  request.credential = hasHeader ? { kind: 'token', where: 'header' } : { kind: 'none', where: 'none' };
  const principal = await authority.authenticate(request.headers);
  request.credential = { kind: principal.kind, where: 'header' };
  return principal;
}

/**
 * Sandbox-only: `PATCH /__sandbox/account` with `{ credits?, rate_limit_per_minute? }` lets tests
 * exhaust credits (then creates answer 402 CREDITS_EXCEEDED) or lower the rate limit (429).
 */
function applyAccountControl(account: Account, limiter: RateLimiter, body: unknown): void {
  const data = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const errors: Record<string, string[]> = {};
  const credits = data['credits'];
  const limit = data['rate_limit_per_minute'];
  if (credits !== undefined && !(Number.isInteger(credits) && (credits as number) >= 0)) {
    errors['credits'] = ['The credits must be a non-negative integer.'];
  }
  if (limit !== undefined && !(Number.isInteger(limit) && (limit as number) >= 1)) {
    errors['rate_limit_per_minute'] = ['The rate limit per minute must be a positive integer.'];
  }
  if (Object.keys(errors).length > 0) throw invalidData(errors);
  if (typeof credits === 'number') account.credits = credits;
  if (typeof limit === 'number') {
    account.rateLimitPerMinute = limit;
    limiter.reset();
  }
}
