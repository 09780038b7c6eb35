/** A response reduced to what the shape comparison needs. */
export interface Exchange {
  host: 'api' | 'sync' | 'storage' | 'other';
  method: string;
  /** Path after the host's base (`/v2/...` for api and sync, `/<bucket>/...` for storage). */
  path: string;
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_IN_PATH = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/;

/**
 * A label that pairs a recorded exchange with the sandbox's counterpart: host, method, path with
 * ids folded, and for task bodies the operation, standalone-or-in-job and status.
 */
export function labelOf(exchange: Exchange): string {
  // Storage paths differ only by bucket (`tasks-sandbox` there, `tasks` here) and object key.
  const path = exchange.host === 'storage' ? '/<bucket>/…' : exchange.path.replace(UUID_IN_PATH, '{id}');
  const data = (exchange.body as { data?: Record<string, unknown> } | null)?.data;
  const detail =
    data && typeof data['operation'] === 'string'
      ? ` ${data['operation']} ${data['job_id'] === null ? 'standalone' : 'in-job'} ${String(data['status'])}`
      : '';
  return `${exchange.host} ${exchange.method} ${path}${detail}`;
}

/**
 * Extra keys the sandbox may send beyond a recording, each backed by another real source:
 * import results list `size` as production does (docs/cloudconvert.md §5.4, N-FX job_finished.json).
 */
const ALLOWED_EXTRA_KEYS = new Set(['data.result.files[].size']);

/**
 * Differences in keys and value types between a recorded JSON value and the sandbox's, as readable
 * lines (empty when they match). A recorded `null` accepts any value; UUIDs and `+00:00` timestamps
 * must keep their format.
 */
export function shapeDifferences(recorded: unknown, actual: unknown, path = ''): string[] {
  if (recorded === null) return [];
  const expectedType = typeName(recorded);
  const actualType = typeName(actual);
  if (expectedType !== actualType) return [`${path || '(root)'}: ${actualType} instead of ${expectedType}`];
  if (typeof recorded === 'string') {
    if (UUID.test(recorded) && !UUID.test(actual as string))
      return [`${path}: not a UUID (${String(actual)})`];
    if (TIMESTAMP.test(recorded) && !TIMESTAMP.test(actual as string))
      return [`${path}: not a +00:00 timestamp`];
    return [];
  }
  if (Array.isArray(recorded)) {
    if (recorded.length === 0) return [];
    // Element by element where the recording has one at that index, else like its first element.
    return (actual as unknown[]).flatMap((item, index) =>
      shapeDifferences(index < recorded.length ? recorded[index] : recorded[0], item, `${path}[]`),
    );
  }
  if (expectedType === 'object') {
    const expected = recorded as Record<string, unknown>;
    const got = actual as Record<string, unknown>;
    const missing = Object.keys(expected)
      .filter((key) => !(key in got))
      .map((key) => `${join(path, key)}: missing`);
    const extra = Object.keys(got)
      .filter((key) => !(key in expected) && !ALLOWED_EXTRA_KEYS.has(join(path, key)))
      .map((key) => `${join(path, key)}: not in the recording`);
    const nested = Object.keys(expected)
      .filter((key) => key in got)
      .flatMap((key) => shapeDifferences(expected[key], got[key], join(path, key)));
    return [...missing, ...extra, ...nested];
  }
  return [];
}

/** Element names of an XML document, in order (for the storage host's XML answers). */
export function xmlElementNames(xml: string): string[] {
  return [...xml.matchAll(/<([A-Za-z][\w-]*)[\s>]/g)].map((match) => match[1]!);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
