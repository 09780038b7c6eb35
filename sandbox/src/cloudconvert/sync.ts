import type { SandboxRequest, SandboxResponse, ServiceHandler } from '../types.js';
import { requireScope, type TokenAuthority } from './auth.js';
import { ApiError, notFound } from './errors.js';
import type { JobService } from './jobs.js';
import { isTerminal, type JobRecord, type TaskRecord } from './model.js';
import type { Account } from './account.js';
import type { Registry } from './registry.js';
import { readJsonBody } from './request-body.js';
import { syncJson } from './responses.js';
import type { Serializer } from './serialize.js';
import { validateJob } from './validation.js';

export interface SyncHostOptions {
  authority: TokenAuthority;
  account: Account;
  registry: Registry;
  jobs: JobService;
  serializer: Serializer;
  /** How long a request waits before answering with the still-running job or task. */
  timeoutMs: number;
}

/**
 * The sync host: `GET /v2/jobs/{id}` and `GET /v2/tasks/{id}` block until the job or task is
 * `finished` or `error`, then answer like the api host's show endpoints (docs/cloudconvert.md §1).
 * Also `POST /v2/jobs` (create, then wait) and `?redirect=true` (302 to the first export URL), both
 * known from secondary sources only (docs/cloudconvert.md §1, §14.8).
 *
 * On timeout it answers 200 with the job or task as it stands (still waiting or processing): what
 * the real host does is not documented (docs/cloudconvert.md §14), and an unfinished object lets a client simply wait again.
 */
export function createSyncHandler(options: SyncHostOptions): ServiceHandler & { close(): void } {
  const { authority, account, registry, jobs, serializer, timeoutMs } = options;
  const pending = new Set<() => void>();

  /** Resolves once the watched object ends, disappears, the timeout passes, or the host closes. */
  const waitFor = (kind: 'job' | 'task', id: string, done: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      if (done()) {
        resolve();
        return;
      }
      const finish = (): void => {
        clearTimeout(timer);
        unwatch();
        pending.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      const unwatch = registry.watch(kind, id, () => {
        if (done()) finish();
      });
      pending.add(finish);
    });

  const answerJob = async (request: SandboxRequest, job: JobRecord): Promise<SandboxResponse> => {
    await waitFor('job', job.id, () => !registry.job(job.id) || isTerminal(registry.jobStatus(job)));
    if (!registry.job(job.id)) throw notFound('Job');
    if (wantsRedirect(request)) {
      const url = firstExportUrl(registry.tasksOf(job));
      if (url) return { status: 302, headers: { Location: url } };
    }
    return syncJson(200, { data: serializer.job(job) });
  };

  const answerTask = async (request: SandboxRequest, task: TaskRecord): Promise<SandboxResponse> => {
    await waitFor('task', task.id, () => !registry.task(task.id) || isTerminal(task.status));
    if (!registry.task(task.id)) throw notFound('Task');
    if (wantsRedirect(request)) {
      const url = firstExportUrl([task]);
      if (url) return { status: 302, headers: { Location: url } };
    }
    return syncJson(200, { data: serializer.task(task) });
  };

  const handler = async (request: SandboxRequest): Promise<SandboxResponse | undefined> => {
    const path = request.url.pathname;
    const jobMatch = /^\/v2\/jobs\/([^/]+)\/?$/.exec(path);
    const taskMatch = /^\/v2\/tasks\/([^/]+)\/?$/.exec(path);
    const isCreate = /^\/v2\/jobs\/?$/.test(path);
    if (!jobMatch && !taskMatch && !isCreate) return undefined;
    try {
      request.credential =
        request.headers.authorization !== undefined
          ? { kind: 'token', where: 'header' }
          : { kind: 'none', where: 'none' };
      const principal = await authority.authenticate(request.headers);
      request.credential = { kind: principal.kind, where: 'header' };
      if (isCreate && request.method === 'POST') {
        requireScope(principal, 'task.write');
        return await answerJob(request, jobs.createJob(validateJob(await readJsonBody(request))));
      }
      if (request.method !== 'GET' || isCreate) {
        return syncJson(405, { message: 'The method is not allowed.', code: 'METHOD_NOT_ALLOWED' });
      }
      requireScope(principal, 'task.read');
      if (jobMatch) {
        const job = registry.job(jobMatch[1] ?? '', account.id);
        if (!job) throw notFound('Job');
        return await answerJob(request, job);
      }
      const task = registry.task(taskMatch?.[1] ?? '', account.id);
      if (!task) throw notFound('Task');
      return await answerTask(request, task);
    } catch (error) {
      if (error instanceof ApiError) {
        const response = syncJson(error.status, error.toBody());
        return { ...response, headers: { ...response.headers, ...error.headers } };
      }
      throw error;
    }
  };

  return Object.assign(handler, {
    close(): void {
      for (const finish of [...pending]) finish();
    },
  });
}

function wantsRedirect(request: SandboxRequest): boolean {
  return ['true', '1'].includes(request.url.searchParams.get('redirect') ?? '');
}

function firstExportUrl(tasks: TaskRecord[]): string | undefined {
  for (const task of tasks) {
    if (task.operation !== 'export/url' || task.status !== 'finished') continue;
    const files = task.result?.['files'];
    if (Array.isArray(files)) {
      const url = (files[0] as { url?: unknown } | undefined)?.url;
      if (typeof url === 'string') return url;
    }
  }
  return undefined;
}
