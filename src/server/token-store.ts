import type { Awaitable } from './endpoint-guard.js';

/**
 * Where `cloudConvertOAuth` keeps each visitor's CloudConvert connection. Records arrive already encrypted (JWE):
 * the store never sees a refresh token in clear. Implement it over Redis, a database table or a KV namespace;
 * `set` replaces the visitor's record and `delete` of an unknown visitor is not an error.
 */
export interface TokenStore {
  get(visitorId: string): Awaitable<string | undefined>;
  set(visitorId: string, encryptedRecord: string): Awaitable<void>;
  delete(visitorId: string): Awaitable<void>;
}

/**
 * A {@link TokenStore} in this process's memory, holding at most `maxEntries` visitors (the least recently written
 * is forgotten first). Connections are lost on restart and not shared between instances: fine for development and
 * single-instance sites.
 */
export function memoryTokenStore({ maxEntries = 10_000 }: { maxEntries?: number } = {}): TokenStore {
  const records = new Map<string, string>();
  return {
    get: (visitorId) => records.get(visitorId),
    set(visitorId, encryptedRecord) {
      records.delete(visitorId);
      records.set(visitorId, encryptedRecord);
      for (const oldest of records.keys()) {
        if (records.size <= maxEntries) break;
        records.delete(oldest);
      }
    },
    delete(visitorId) {
      records.delete(visitorId);
    },
  };
}
