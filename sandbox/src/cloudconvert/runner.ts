import type { Conversions } from '../conversions/index.js';
import type { FileStore } from '../file-store.js';
import type { Account } from './account.js';
import { engineFor } from './engines.js';
import { formatOfFileName } from '../conversions/formats.js';
import { STORAGE_NAME, isTerminal, type TaskFile, type TaskRecord } from './model.js';
import { TaskFailure, runOperation, stringField, type OperationOutcome } from './operations.js';
import type { Registry } from './registry.js';
import type { Storage, UploadTarget } from './storage.js';

export interface RunnerOptions {
  registry: Registry;
  store: FileStore;
  storage: () => Storage;
  account: Account;
  /** How long a convert task stays `processing`, reporting a rising `percent`. */
  processingMs: number;
  isOwnUrl: (url: URL) => boolean;
  /** What the running sandbox can convert (its engines decide). */
  conversions: Conversions;
}

/** Host name reported by tasks once a worker picked them up. */
const WORKER_HOST = 'sandbox';
const PERCENT_STEPS = 10;

/**
 * Moves tasks through waiting → processing → finished | error: starts a task once all its inputs
 * finished, fails it with `INPUT_TASK_FAILED` once one failed, and keeps job timestamps current.
 */
export class TaskRunner implements UploadTarget {
  private readonly timers = new Set<NodeJS.Timeout>();
  private pendingCheck = false;
  private closed = false;

  constructor(private readonly options: RunnerOptions) {}

  /** Looks for tasks that can start or must fail, on the next turn of the event loop. */
  advance(): void {
    if (this.pendingCheck || this.closed) return;
    this.pendingCheck = true;
    this.later(0, () => {
      this.pendingCheck = false;
      this.check();
    });
  }

  acceptsUpload(taskId: string): boolean {
    const task = this.options.registry.task(taskId);
    return task?.operation === 'import/upload' && task.status === 'waiting';
  }

  completeUpload(taskId: string, file: TaskFile): void {
    const task = this.options.registry.task(taskId);
    if (!task) return;
    const now = Date.now();
    task.startedAt = now;
    task.hostName = WORKER_HOST;
    this.finish(task, {
      files: [file],
      result: { files: [{ filename: file.filename, size: file.size, md5: file.md5 }] },
      credits: 0,
    });
  }

  /** Cancels a waiting or processing task (`POST /v2/tasks/{id}/cancel`). */
  cancel(task: TaskRecord): void {
    this.fail(task, 'CANCELLED', 'Task has been cancelled');
  }

  /** Stops all timers; running operations finish without effect. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private check(): void {
    const { registry } = this.options;
    for (const task of registry.allTasks()) {
      if (task.status !== 'waiting' || task.operation === 'import/upload') continue;
      const inputs = task.dependsOn.map((id) => registry.task(id));
      if (inputs.some((input) => input === undefined || input.status === 'error')) {
        this.fail(task, 'INPUT_TASK_FAILED', 'Input task has failed');
      } else if (inputs.every((input) => input?.status === 'finished')) {
        void this.start(task, inputs as TaskRecord[]);
      }
    }
  }

  private async start(task: TaskRecord, inputTasks: TaskRecord[]): Promise<void> {
    const inputs = inputTasks.flatMap((input) => input.files);
    task.status = 'processing';
    task.startedAt = Date.now();
    task.hostName = WORKER_HOST;
    task.storage =
      task.operation.startsWith('import/') || task.operation.startsWith('export/') ? STORAGE_NAME : null;
    const isConvert = task.operation === 'convert';
    if (isConvert) {
      const from = stringField(task.payload, 'input_format') || formatOfFileName(inputs[0]?.filename ?? '');
      const engine = engineFor(from, stringField(task.payload, 'output_format'));
      task.engine = typeof task.payload['engine'] === 'string' ? task.payload['engine'] : engine.engine;
      task.engineVersion =
        typeof task.payload['engine_version'] === 'string' ? task.payload['engine_version'] : engine.version;
      task.percent = 0;
    }
    this.touch(task);
    const stopProgress = isConvert ? this.reportProgress(task) : () => undefined;
    try {
      const [outcome] = await Promise.all([
        runOperation({
          task,
          inputs,
          store: this.options.store,
          storage: this.options.storage(),
          isOwnUrl: this.options.isOwnUrl,
          conversions: this.options.conversions,
        }),
        isConvert ? this.delay(this.options.processingMs) : Promise.resolve(),
      ]);
      stopProgress();
      if (!this.isLive(task)) {
        await this.discard(outcome.files, task);
        return;
      }
      this.finish(task, outcome);
    } catch (error) {
      stopProgress();
      if (!this.isLive(task)) return;
      if (error instanceof TaskFailure) this.fail(task, error.code, error.message);
      else this.fail(task, 'INTERNAL_ERROR', error instanceof Error ? error.message : String(error));
    }
  }

  /** Raises `percent` in steps over `processingMs`, stopping short of 100 until the task ends. */
  private reportProgress(task: TaskRecord): () => void {
    const started = Date.now();
    const interval = Math.max(10, Math.floor(this.options.processingMs / PERCENT_STEPS));
    const timer = setInterval(() => {
      if (task.status !== 'processing') return;
      const share = (Date.now() - started) / Math.max(1, this.options.processingMs);
      const percent = Math.min(99, Math.floor(share * 100));
      if (percent !== task.percent) {
        task.percent = percent;
        this.touch(task);
      }
    }, interval);
    timer.unref();
    return () => {
      clearInterval(timer);
    };
  }

  private finish(task: TaskRecord, outcome: OperationOutcome): void {
    task.status = 'finished';
    task.endedAt = Date.now();
    task.percent = 100;
    task.message = null;
    task.code = null;
    task.files = outcome.files;
    task.result = outcome.result;
    task.credits = outcome.credits;
    this.options.account.credits = Math.max(0, this.options.account.credits - outcome.credits);
    this.touch(task);
    this.advance();
  }

  private fail(task: TaskRecord, code: string, message: string): void {
    if (isTerminal(task.status)) return;
    task.status = 'error';
    task.endedAt = Date.now();
    task.percent = 100;
    task.code = code;
    task.message = message;
    this.touch(task);
    this.advance();
  }

  /** Records a change: job start and end times follow their tasks, and waiters are told. */
  private touch(task: TaskRecord): void {
    const { registry } = this.options;
    const job = task.jobId ? registry.job(task.jobId) : undefined;
    if (job) {
      if (job.startedAt === null && task.startedAt !== null) job.startedAt = task.startedAt;
      const status = registry.jobStatus(job);
      if (isTerminal(status) && job.endedAt === null) job.endedAt = Date.now();
    }
    registry.changed(task);
  }

  private isLive(task: TaskRecord): boolean {
    return !this.closed && this.options.registry.task(task.id) === task && task.status === 'processing';
  }

  private async discard(files: TaskFile[], task: TaskRecord): Promise<void> {
    this.options.storage().forgetTask(task.id);
    // Export tasks only publish their inputs' bytes, which still belong to the input tasks.
    if (task.operation.startsWith('export/')) return;
    await Promise.all(files.map((file) => this.options.store.delete(file.storedId).catch(() => false)));
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.later(ms, resolve);
    });
  }

  private later(ms: number, callback: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      callback();
    }, ms);
    this.timers.add(timer);
  }
}
