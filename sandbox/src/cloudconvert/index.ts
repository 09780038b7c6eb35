import { randomBytes, randomUUID } from 'node:crypto';
import type { Conversions } from '../conversions/index.js';
import type { FileStore } from '../file-store.js';
import type { ServiceHandler } from '../types.js';
import { createAccount } from './account.js';
import { createApiHandler } from './api.js';
import { TokenAuthority } from './auth.js';
import { JobService } from './jobs.js';
import { createOAuthHandler } from './oauth.js';
import { RateLimiter } from './rate-limit.js';
import { Registry } from './registry.js';
import { TaskRunner } from './runner.js';
import { ALL_SCOPES } from './scopes.js';
import { Serializer } from './serialize.js';
import { Storage } from './storage.js';
import { createSyncHandler } from './sync.js';

/** Public base URLs of the four CloudConvert hosts as mounted on the sandbox. */
export interface CloudConvertUrls {
  /** e.g. `http://127.0.0.1:8787/cloudconvert/api/v2`; the handler sees `/v2/jobs`. */
  api: string;
  /** e.g. `http://127.0.0.1:8787/cloudconvert/sync/v2`. */
  sync: string;
  /** e.g. `http://127.0.0.1:8787/cloudconvert/storage`; the handler sees `/tasks`. */
  storage: string;
  /** e.g. `http://127.0.0.1:8787/cloudconvert/oauth`; the handler sees `/authorize`, `/token`. */
  oauth: string;
}

export interface CloudConvertOptions {
  urls: CloudConvertUrls;
  store: FileStore;
  /** What the running sandbox can convert; convert tasks and `/v2/convert/formats` follow it. */
  conversions: Conversions;
  /** Whether the storage host answers CORS; applied by the server core, accepted here for completeness. */
  storageCors: () => boolean;
  /** Lifetime of OAuth access tokens (default 3600 s; CloudConvert's is unconfirmed, docs/cloudconvert.md §14.2). */
  accessTokenLifetimeSec?: number;
  /** How long a convert task stays `processing` with a rising `percent` (default 200 ms). */
  processingMs?: number;
  /** Validity of import/upload forms (default 6 h, as the 2020 sandbox gave, docs/cloudconvert.md §5.2). */
  uploadFormLifetimeSec?: number;
  /** Validity of export/url download URLs (default 24 h, docs/cloudconvert.md §6.3). */
  exportUrlLifetimeSec?: number;
  /** How long a sync-host request waits before answering with the unfinished object (default 300 s). */
  syncTimeoutMs?: number;
}

/** The emulated CloudConvert: four handlers, the fresh credentials, and `close`. */
export interface CloudConvertSandbox {
  api: ServiceHandler;
  sync: ServiceHandler;
  storage: ServiceHandler;
  oauth: ServiceHandler;
  credentials: { apiKey: string; clientId: string; clientSecret: string };
  close(): Promise<void>;
}

const DEFAULT_PROCESSING_MS = 200;
const DEFAULT_ACCESS_TOKEN_LIFETIME_SEC = 3600;
const DEFAULT_UPLOAD_FORM_LIFETIME_SEC = 6 * 3600;
const DEFAULT_EXPORT_URL_LIFETIME_SEC = 24 * 3600;
/** The Java SDK's wait timeout was raised to 300 s (docs/cloudconvert.md §13); the server's own is unknown. */
const DEFAULT_SYNC_TIMEOUT_MS = 300_000;

/**
 * Creates the CloudConvert emulation: api, sync, storage and OAuth hosts sharing one account, one
 * job registry and a freshly generated API key (all scopes) and OAuth client.
 */
export async function createCloudConvert(options: CloudConvertOptions): Promise<CloudConvertSandbox> {
  const { urls, store } = options;
  const account = createAccount();
  const authority = await TokenAuthority.create(account.id);
  const registry = new Registry();
  const ownOrigins = new Set(
    [urls.api, urls.sync, urls.storage, urls.oauth].map((url) => new URL(url).origin),
  );
  // The runner and the storage host refer to each other: the runner reaches storage lazily.
  const storageRef: { current?: Storage } = {};
  const runner = new TaskRunner({
    registry,
    store,
    storage: () => {
      if (!storageRef.current) throw new Error('storage host not ready');
      return storageRef.current;
    },
    account,
    processingMs: options.processingMs ?? DEFAULT_PROCESSING_MS,
    isOwnUrl: (url) => ownOrigins.has(url.origin),
    conversions: options.conversions,
  });
  const storage = new Storage({
    publicUrl: urls.storage.replace(/\/+$/, ''),
    store,
    uploads: runner,
    uploadFormLifetimeMs: (options.uploadFormLifetimeSec ?? DEFAULT_UPLOAD_FORM_LIFETIME_SEC) * 1000,
    exportUrlLifetimeMs: (options.exportUrlLifetimeSec ?? DEFAULT_EXPORT_URL_LIFETIME_SEC) * 1000,
  });
  storageRef.current = storage;
  const jobs = new JobService({ registry, runner, storage, store, account });
  const serializer = new Serializer(urls.api.replace(/\/+$/, ''), registry);
  const limiter = new RateLimiter(() => account.rateLimitPerMinute);
  const sync = createSyncHandler({
    authority,
    account,
    registry,
    jobs,
    serializer,
    timeoutMs: options.syncTimeoutMs ?? DEFAULT_SYNC_TIMEOUT_MS,
  });
  const client = { clientId: randomUUID(), clientSecret: randomBytes(30).toString('base64url') };
  const apiKey = await authority.issueApiKey(ALL_SCOPES);

  return {
    api: createApiHandler({
      authority,
      account,
      registry,
      jobs,
      serializer,
      limiter,
      conversions: options.conversions,
    }),
    sync,
    storage: (request) => storage.handle(request),
    oauth: createOAuthHandler({
      publicUrl: urls.oauth.replace(/\/+$/, ''),
      client,
      authority,
      accessTokenLifetimeSec: options.accessTokenLifetimeSec ?? DEFAULT_ACCESS_TOKEN_LIFETIME_SEC,
    }),
    credentials: { apiKey, ...client },
    close() {
      runner.close();
      sync.close();
      return Promise.resolve();
    },
  };
}
