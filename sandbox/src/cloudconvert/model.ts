/** Task and job states (docs/cloudconvert.md §3.1, §3.2). */
export type TaskStatus = 'waiting' | 'processing' | 'finished' | 'error';
export type JobStatus = TaskStatus;

/** A file a task holds: an imported file or a converted output. */
export interface TaskFile {
  filename: string;
  size: number;
  md5: string;
  /** Id of the bytes in the sandbox's file store. */
  storedId: string;
  contentType: string;
}

/** A task as the sandbox keeps it; `serialize.ts` turns it into the API's JSON. */
export interface TaskRecord {
  id: string;
  /** The task's name inside its job; null for standalone tasks. */
  name: string | null;
  jobId: string | null;
  userId: number;
  operation: string;
  /** The request body of the task, as sent (shown with `include=payload`). */
  payload: Record<string, unknown>;
  status: TaskStatus;
  message: string | null;
  code: string | null;
  percent: number;
  credits: number | null;
  engine: string | null;
  engineVersion: string | null;
  result: Record<string, unknown> | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  dependsOn: string[];
  retryOf: string | null;
  copyOf: string | null;
  hostName: string | null;
  storage: string | null;
  priority: number;
  ignoreError: boolean;
  /** Files this task produced (imports and conversions) or exported. */
  files: TaskFile[];
}

/** A job as the sandbox keeps it; its status is derived from its tasks. */
export interface JobRecord {
  id: string;
  userId: number;
  tag: string | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  taskIds: string[];
}

/** The `storage` name tasks report once their files live in the sandbox's store. */
export const STORAGE_NAME = 'sandbox-local';
/** The `priority` the recorded sandbox tasks carried (docs/cloudconvert.md §12.1). */
export const SANDBOX_PRIORITY = -10;

/** True once a task or job can no longer change. */
export function isTerminal(status: TaskStatus): boolean {
  return status === 'finished' || status === 'error';
}
