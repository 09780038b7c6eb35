import type { Conversions } from '../conversions/index.js';
import { contentTypeFor, formatOfFileName } from '../conversions/formats.js';
import type { FileStore } from '../file-store.js';
import { md5OfBuffer } from './md5.js';
import type { TaskFile, TaskRecord } from './model.js';
import type { Storage } from './storage.js';

/** A task ending in `error` with this code and message (docs/cloudconvert.md §7.3). */
export class TaskFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TaskFailure';
  }
}

/** What an operation needs besides its task. */
export interface OperationContext {
  task: TaskRecord;
  /** Files of the input tasks, in the order of `depends_on_task_ids`. */
  inputs: TaskFile[];
  store: FileStore;
  storage: Storage;
  /** What the running sandbox can convert (its engines decide). */
  conversions: Conversions;
  /** True for URLs this sandbox serves itself; with the loopback, the only ones it fetches. */
  isOwnUrl: (url: URL) => boolean;
}

/** A finished operation: the files it holds, its `result` and the credits it cost. */
export interface OperationOutcome {
  files: TaskFile[];
  result: Record<string, unknown>;
  credits: number;
}

/** Stores bytes a task produced and describes them as the task's file. */
export async function storeFile(
  store: FileStore,
  data: Buffer,
  filename: string,
  contentType?: string,
): Promise<TaskFile> {
  const type = contentType ?? contentTypeFor(formatOfFileName(filename));
  const stored = await store.putBuffer(data, filename, { contentType: type });
  return { filename, size: data.length, md5: md5OfBuffer(data), storedId: stored.id, contentType: type };
}

/** A payload field as a string; '' when absent or not a string (validation already checked it). */
export function stringField(payload: Record<string, unknown>, name: string): string {
  const value = payload[name];
  return typeof value === 'string' ? value : '';
}
