import { EventEmitter } from 'node:events';
import { isTerminal, type JobRecord, type JobStatus, type TaskRecord } from './model.js';

/**
 * Holds the jobs and tasks and tells listeners when one changes (the sync host waits on it).
 * Lookups are scoped to a user, so another account's ids read as unknown.
 */
export class Registry {
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly jobs = new Map<string, JobRecord>();
  private readonly events = new EventEmitter();

  constructor() {
    this.events.setMaxListeners(0);
  }

  addTask(task: TaskRecord): void {
    this.tasks.set(task.id, task);
  }

  addJob(job: JobRecord): void {
    this.jobs.set(job.id, job);
  }

  task(id: string, userId?: number): TaskRecord | undefined {
    const task = this.tasks.get(id);
    return task && (userId === undefined || task.userId === userId) ? task : undefined;
  }

  job(id: string, userId?: number): JobRecord | undefined {
    const job = this.jobs.get(id);
    return job && (userId === undefined || job.userId === userId) ? job : undefined;
  }

  /** A job's tasks in creation order. */
  tasksOf(job: JobRecord): TaskRecord[] {
    return job.taskIds
      .map((id) => this.tasks.get(id))
      .filter((task): task is TaskRecord => task !== undefined);
  }

  /** All tasks, oldest first. */
  allTasks(): TaskRecord[] {
    return [...this.tasks.values()];
  }

  /** All jobs, oldest first. */
  allJobs(): JobRecord[] {
    return [...this.jobs.values()];
  }

  /** Tasks that list this one among their inputs. */
  dependantsOf(taskId: string): TaskRecord[] {
    return this.allTasks().filter((task) => task.dependsOn.includes(taskId));
  }

  /** The job's status, derived from its tasks. */
  jobStatus(job: JobRecord): JobStatus {
    const tasks = this.tasksOf(job);
    if (tasks.length === 0) return 'finished';
    if (tasks.every((task) => task.status === 'finished')) return 'finished';
    if (tasks.every((task) => isTerminal(task.status))) {
      return tasks.some((task) => task.status === 'error' && !task.ignoreError) ? 'error' : 'finished';
    }
    if (tasks.every((task) => task.status === 'waiting')) return 'waiting';
    return 'processing';
  }

  deleteTask(id: string): TaskRecord | undefined {
    const task = this.tasks.get(id);
    if (!task) return undefined;
    this.tasks.delete(id);
    if (task.jobId) {
      const job = this.jobs.get(task.jobId);
      if (job) job.taskIds = job.taskIds.filter((taskId) => taskId !== id);
    }
    this.changed(task);
    return task;
  }

  deleteJob(id: string): JobRecord | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    for (const taskId of job.taskIds) this.tasks.delete(taskId);
    this.jobs.delete(id);
    this.events.emit(`job:${id}`);
    return job;
  }

  /** Announces that a task (and so its job) changed. */
  changed(task: TaskRecord): void {
    this.events.emit(`task:${task.id}`);
    if (task.jobId) this.events.emit(`job:${task.jobId}`);
  }

  /** Calls `listener` on every change of the job or task; returns the unsubscribe function. */
  watch(kind: 'job' | 'task', id: string, listener: () => void): () => void {
    const event = `${kind}:${id}`;
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }
}
