import type { Account } from './account.js';
import type { JobRecord, TaskRecord } from './model.js';
import type { Registry } from './registry.js';
import { isoTimestamp, isoTimestampOrNull } from './time.js';

/** Which optional parts to embed (`include=` values, docs/cloudconvert.md §2). */
export interface Includes {
  tasks?: boolean;
  payload?: boolean;
  dependsOnTasks?: boolean;
  job?: boolean;
  retries?: boolean;
}

/** Parses `include=a,b` (also repeated `include[]=a`) into flags. */
export function parseIncludes(query: URLSearchParams): Includes {
  const values = new Set(
    [...query.getAll('include'), ...query.getAll('include[]')]
      .flatMap((value) => value.split(','))
      .map((value) => value.trim()),
  );
  return {
    tasks: values.has('tasks'),
    payload: values.has('payload'),
    dependsOnTasks: values.has('depends_on_tasks'),
    job: values.has('job'),
    retries: values.has('retries'),
  };
}

/** Turns records into the API's JSON, with key order and types as recorded (docs/cloudconvert.md §12). */
export class Serializer {
  constructor(
    private readonly apiBase: string,
    private readonly registry: Registry,
  ) {}

  task(task: TaskRecord, includes: Includes = {}): Record<string, unknown> {
    const json: Record<string, unknown> = { id: task.id };
    if (task.name !== null) json['name'] = task.name;
    Object.assign(json, {
      job_id: task.jobId,
      status: task.status,
      credits: task.credits,
      code: task.code,
      message: task.message,
      percent: task.percent,
      operation: task.operation,
    });
    if (task.operation === 'convert') {
      json['engine'] = task.engine;
      json['engine_version'] = task.engineVersion;
    }
    if (includes.payload) json['payload'] = task.payload;
    Object.assign(json, {
      result: task.result,
      created_at: isoTimestamp(task.createdAt),
      started_at: isoTimestampOrNull(task.startedAt),
      ended_at: isoTimestampOrNull(task.endedAt),
      retry_of_task_id: task.retryOf,
      copy_of_task_id: task.copyOf,
      user_id: task.userId,
      priority: task.priority,
      host_name: task.hostName,
      storage: task.storage,
      depends_on_task_ids: [...task.dependsOn],
    });
    if (includes.dependsOnTasks) {
      json['depends_on_tasks'] = task.dependsOn
        .map((id) => this.registry.task(id))
        .filter((dependency): dependency is TaskRecord => dependency !== undefined)
        .map((dependency) => this.task(dependency));
    }
    if (includes.retries) {
      json['retries'] = this.registry
        .allTasks()
        .filter((other) => other.retryOf === task.id)
        .map((retry) => this.task(retry));
    }
    if (includes.job) {
      const job = task.jobId ? this.registry.job(task.jobId) : undefined;
      json['job'] = job ? this.job(job, { tasks: false }) : null;
    }
    json['links'] = { self: `${this.apiBase}/tasks/${task.id}` };
    return json;
  }

  job(job: JobRecord, includes: Includes = { tasks: true }): Record<string, unknown> {
    const json: Record<string, unknown> = {
      id: job.id,
      tag: job.tag,
      status: this.registry.jobStatus(job),
      created_at: isoTimestamp(job.createdAt),
      started_at: isoTimestampOrNull(job.startedAt),
      ended_at: isoTimestampOrNull(job.endedAt),
    };
    if (includes.tasks) {
      json['tasks'] = this.registry
        .tasksOf(job)
        .map((task) => this.task(task, { ...includes, tasks: false }));
    }
    json['links'] = { self: `${this.apiBase}/jobs/${job.id}` };
    return json;
  }

  user(account: Account): Record<string, unknown> {
    return {
      id: account.id,
      username: account.username,
      email: account.email,
      created_at: isoTimestamp(account.createdAt),
      credits: account.credits,
      paying: account.paying,
      task_priority: null,
      tasks_per_minute: null,
      links: { self: `${this.apiBase}/users/${account.id}` },
    };
  }

  /**
   * A list page in Laravel's simple-paginate envelope (docs/cloudconvert.md §2, N-FX jobs.json):
   * `links {first,last:null,prev,next}` and `meta {current_page,from,path,per_page,to}`.
   */
  page<T>(
    items: T[],
    path: string,
    query: URLSearchParams,
    render: (item: T) => Record<string, unknown>,
  ): Record<string, unknown> {
    const perPage = clampInt(query.get('per_page'), 100, 1, 1000);
    const page = clampInt(query.get('page'), 1, 1, Number.MAX_SAFE_INTEGER);
    const start = (page - 1) * perPage;
    const slice = items.slice(start, start + perPage);
    const base = `${this.apiBase}/${path}`;
    const pageUrl = (number: number): string => `${base}?page=${number}`;
    return {
      data: slice.map(render),
      links: {
        first: pageUrl(1),
        last: null,
        prev: page > 1 ? pageUrl(page - 1) : null,
        next: start + perPage < items.length ? pageUrl(page + 1) : null,
      },
      meta: {
        current_page: page,
        from: slice.length > 0 ? start + 1 : null,
        path: base,
        per_page: perPage,
        to: slice.length > 0 ? start + slice.length : null,
      },
    };
  }
}

function clampInt(value: string | null, fallback: number, min: number, max: number): number {
  const parsed = value === null ? Number.NaN : Number.parseInt(value, 10);
  return Number.isFinite(parsed) ? Math.min(max, Math.max(min, parsed)) : fallback;
}
