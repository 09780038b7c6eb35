import { randomUUID } from 'node:crypto';
import type { FileStore } from '../file-store.js';
import type { Account } from './account.js';
import { creditsExceeded, invalidData, invalidRequest } from './errors.js';
import { SANDBOX_PRIORITY, STORAGE_NAME, isTerminal, type JobRecord, type TaskRecord } from './model.js';
import type { Registry } from './registry.js';
import type { TaskRunner } from './runner.js';
import type { Storage } from './storage.js';
import type { JobSpec, TaskSpec } from './validation.js';

export interface JobServiceOptions {
  registry: Registry;
  runner: TaskRunner;
  storage: Storage;
  store: FileStore;
  account: Account;
}

/** Creates, retries, cancels and deletes jobs and tasks; the runner then drives them. */
export class JobService {
  constructor(private readonly options: JobServiceOptions) {}

  /** Creates a job from a checked spec; task inputs are names inside the job. */
  createJob(spec: JobSpec): JobRecord {
    this.requireCredits();
    const { account, registry } = this.options;
    const now = Date.now();
    const job: JobRecord = {
      id: randomUUID(),
      userId: account.id,
      tag: spec.tag,
      createdAt: now,
      startedAt: null,
      endedAt: null,
      taskIds: [],
    };
    const ids = new Map(spec.tasks.map((task) => [task.name ?? '', randomUUID()]));
    const idOf = (name: string): string => ids.get(name) ?? name;
    registry.addJob(job);
    for (const task of spec.tasks) {
      const dependsOn = task.inputs.map(idOf);
      const record = this.newTask(task, { id: idOf(task.name ?? ''), jobId: job.id, dependsOn, now });
      job.taskIds.push(record.id);
    }
    this.options.runner.advance();
    return job;
  }

  /** Creates a standalone task; its inputs are ids of the user's existing tasks. */
  createTask(spec: TaskSpec): TaskRecord {
    this.requireCredits();
    const missing = spec.inputs.filter((id) => !this.options.registry.task(id, this.options.account.id));
    if (missing.length > 0) invalidInput(missing);
    const task = this.newTask(spec, {
      id: randomUUID(),
      jobId: null,
      dependsOn: spec.inputs,
      now: Date.now(),
    });
    this.options.runner.advance();
    return task;
  }

  /** `POST /v2/tasks/{id}/retry`: a new task with the same payload and inputs. */
  retryTask(original: TaskRecord): TaskRecord {
    this.requireCredits();
    const spec: TaskSpec = {
      name: original.name,
      operation: original.operation,
      payload: original.payload,
      inputs: [],
      ignoreError: original.ignoreError,
    };
    const retry = this.newTask(spec, {
      id: randomUUID(),
      jobId: original.jobId,
      dependsOn: [...original.dependsOn],
      now: Date.now(),
    });
    retry.retryOf = original.id;
    retry.copyOf = original.id;
    const job = original.jobId ? this.options.registry.job(original.jobId) : undefined;
    if (job) {
      job.taskIds.push(retry.id);
      job.endedAt = null;
    }
    this.options.runner.advance();
    return retry;
  }

  /**
   * `POST /v2/tasks/{id}/cancel`: only while waiting or processing (docs/cloudconvert.md §2). The refusal
   * reuses the PHP fixture's body; its status (400) is from a mock (docs/cloudconvert.md §7.2).
   */
  cancelTask(task: TaskRecord): void {
    if (isTerminal(task.status)) {
      throw invalidRequest('The given data was invalid.', {
        status: ['Cannot change status: task already completed.'],
      });
    }
    this.options.runner.cancel(task);
  }

  /** Deletes a task with its files. */
  async deleteTask(task: TaskRecord): Promise<void> {
    this.options.registry.deleteTask(task.id);
    await this.purge([task]);
  }

  /** Deletes a job with all its tasks and files (docs/cloudconvert.md §2). */
  async deleteJob(job: JobRecord): Promise<void> {
    const tasks = this.options.registry.tasksOf(job);
    this.options.registry.deleteJob(job.id);
    await this.purge(tasks);
  }

  private newTask(
    spec: TaskSpec,
    placement: { id: string; jobId: string | null; dependsOn: string[]; now: number },
  ): TaskRecord {
    const isUpload = spec.operation === 'import/upload';
    const task: TaskRecord = {
      id: placement.id,
      name: placement.jobId === null ? null : spec.name,
      jobId: placement.jobId,
      userId: this.options.account.id,
      operation: spec.operation,
      payload: spec.payload,
      status: 'waiting',
      message: isUpload ? 'Waiting for file upload' : null,
      code: null,
      // Recorded tasks show 100 even while waiting (docs/cloudconvert.md §3.2); convert tasks count up from 0 instead so
      // that progress is observable (unconfirmed for waiting convert tasks).
      percent: spec.operation === 'convert' ? 0 : 100,
      credits: null,
      engine: null,
      engineVersion: null,
      result: isUpload ? { form: this.options.storage.uploadForm(placement.id, placement.now) } : null,
      createdAt: placement.now,
      startedAt: null,
      endedAt: null,
      dependsOn: placement.dependsOn,
      retryOf: null,
      copyOf: null,
      hostName: null,
      storage: spec.operation.startsWith('import/') ? STORAGE_NAME : null,
      priority: SANDBOX_PRIORITY,
      ignoreError: spec.ignoreError,
      files: [],
    };
    this.options.registry.addTask(task);
    return task;
  }

  private requireCredits(): void {
    if (this.options.account.credits <= 0) throw creditsExceeded();
  }

  /** Frees the bytes of deleted tasks that no remaining task still refers to. */
  private async purge(tasks: TaskRecord[]): Promise<void> {
    const { registry, storage, store } = this.options;
    for (const task of tasks) storage.forgetTask(task.id);
    const stillUsed = new Set(registry.allTasks().flatMap((task) => task.files.map((file) => file.storedId)));
    const ids = new Set(tasks.flatMap((task) => task.files.map((file) => file.storedId)));
    await Promise.all([...ids].filter((id) => !stillUsed.has(id)).map((id) => store.delete(id)));
  }
}

function invalidInput(missing: string[]): never {
  throw invalidData({ input: missing.map((id) => `The input task ${id} does not exist.`) });
}
