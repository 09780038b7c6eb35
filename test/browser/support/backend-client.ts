import { executeServerCommand } from '@web/test-runner-commands';
import type { BackendInfo } from './backend.js';
import type { ConvertUploader, UploadItem } from '../../../src/index.js';

export interface LoggedRequest {
  seq: number;
  service: string;
  method: string;
  path: string;
  status: number;
  credential: { kind: string; where: string };
  fault?: boolean;
}

export interface SandboxFault {
  match: { service?: string; method?: string; path?: string };
  times?: number;
  action: Record<string, unknown>;
}

let cachedInfo: BackendInfo | undefined;

/** Public URLs of the test backend (no credentials). */
export async function backendInfo(): Promise<BackendInfo> {
  cachedInfo ??= await executeServerCommand<BackendInfo, undefined>('backend-info');
  return cachedInfo;
}

/** Clears the sandbox's faults and the test routes' call counts. */
export async function resetBackend(): Promise<void> {
  await executeServerCommand('backend-reset');
}

export async function tokenCalls(): Promise<Record<string, number>> {
  return executeServerCommand<Record<string, number>, undefined>('backend-token-calls');
}

/** Every credential value the backend handed out, and the sandbox's own secrets. */
export async function knownSecrets(): Promise<string[]> {
  return executeServerCommand<string[], undefined>('backend-secrets');
}

export async function addFaults(faults: SandboxFault[]): Promise<void> {
  const { sandboxUrl } = await backendInfo();
  const response = await fetch(`${sandboxUrl}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!response.ok) throw new Error(`faults refused: ${response.status} ${await response.text()}`);
}

/** The sandbox's request log (entries after `since`). */
export async function sandboxRequests(since = 0): Promise<LoggedRequest[]> {
  const { sandboxUrl } = await backendInfo();
  const response = await fetch(`${sandboxUrl}/__sandbox/requests?since=${since}`);
  const body = (await response.json()) as LoggedRequest[] | { requests: LoggedRequest[] };
  return Array.isArray(body) ? body : body.requests;
}

/** The sequence number of the newest log entry, to read only what a test causes. */
export async function logMark(): Promise<number> {
  const all = await sandboxRequests();
  return all.at(-1)?.seq ?? 0;
}

/** Resolves when every item has settled (done, error or canceled). */
export async function settled(
  el: ConvertUploader,
  count: number,
  timeoutMs = 20_000,
): Promise<readonly UploadItem[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const items = el.items;
    if (items.length >= count && items.every((item) => ['done', 'error', 'canceled'].includes(item.status))) {
      return items;
    }
    if (Date.now() > deadline)
      throw new Error(`not settled: ${JSON.stringify(items.map((item) => item.status))}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Resolves when `predicate` holds, polling. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Listens from now on for upload progress; the returned function resolves once bytes have gone up. */
export function watchUploadProgress(el: ConvertUploader): () => Promise<void> {
  let uploading = false;
  el.addEventListener('convert-progress', (event) => {
    if (event.detail.phase === 'upload' && (event.detail.progress ?? 0) > 0) uploading = true;
  });
  return () => until(() => uploading, 'upload progress');
}
