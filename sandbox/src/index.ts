import { createCloudConvert } from './cloudconvert/index.js';
import { startConversions, type EngineOptions, type EngineReport } from './conversions/index.js';
import { createConvertApi } from './convertapi/index.js';
import { FaultRegistry, parseFaults } from './faults.js';
import { FileStore } from './file-store.js';
import { RequestLog } from './request-log.js';
import { ConfigError, SandboxServer } from './server.js';
import type { Fault, RequestLogEntry } from './types.js';

export type {
  CredentialUse,
  Fault,
  FaultAction,
  FaultMatch,
  RequestLogEntry,
  SandboxRequest,
  SandboxResponse,
  ServiceHandler,
  ServiceName,
} from './types.js';
export type { EngineOptions, EngineReport } from './conversions/index.js';

export interface SandboxOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind (default `127.0.0.1`). */
  host?: string;
  /** Whether the CloudConvert storage host answers CORS (default true); switchable at run time. */
  storageCors?: boolean;
  /** Lifetime of CloudConvert OAuth access tokens, in seconds. */
  accessTokenLifetimeSec?: number;
  /** How long conversions stay "processing" at least (CloudConvert tasks, ConvertAPI async jobs). */
  processingMs?: number;
  /** How long uploaded and converted files are kept (default 3 hours, as on both services). */
  ttlMs?: number;
  /** Conversions the ConvertAPI account may run before it answers 4014 (default 100 000). */
  convertApiConversions?: number;
  /**
   * The external engines to use: by default LibreOffice (`soffice`) and poppler (`pdftoppm`,
   * `pdftotext`) are looked for on `PATH`; `{ libreoffice: false }` ignores LibreOffice, so the
   * pure-JS paths answer (docx and xlsx to PDF) and the other Office formats are unsupported.
   */
  engines?: EngineOptions;
}

/** A running sandbox: its URLs, the credentials generated for this run, and its controls. */
export interface Sandbox {
  /** Base URL of the one server, e.g. `http://127.0.0.1:8787`. */
  url: string;
  convertapi: { base: string; secret: string; apiKey: string };
  /** The conversion engines this sandbox found (also in the CLI's start line). */
  engines: EngineReport;
  cloudconvert: {
    api: string;
    sync: string;
    storage: string;
    oauth: string;
    apiKey: string;
    clientId: string;
    clientSecret: string;
  };
  /** The request log (never credential values); with `since`, entries after that sequence number. */
  requests(since?: number): RequestLogEntry[];
  /** Arms faults (validated like `POST /__sandbox/faults`; throws on an invalid one). */
  addFaults(faults: Fault | Fault[]): void;
  clearFaults(): void;
  /** Turns CORS on the CloudConvert storage host on or off. */
  setStorageCors(on: boolean): void;
  /** Sets how many conversions the ConvertAPI account has left; 0 makes conversions answer 4014. */
  setConvertApiConversionsLeft(conversions: number): void;
  /** Stops the server and removes every stored file. */
  close(): Promise<void>;
}

/**
 * Starts the local emulator of ConvertAPI and CloudConvert (docs/design.md §6) on one port,
 * with freshly generated credentials.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  let storageCors = options.storageCors ?? true;
  const faults = new FaultRegistry();
  const log = new RequestLog();
  const conversions = await startConversions(options.engines);
  const store = new FileStore(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs });
  let setConversionsLeft: (conversions: number) => void = () => undefined;
  let conversionsLeft: () => number = () => 0;

  const server = new SandboxServer({
    faults,
    log,
    storageCors: () => storageCors,
    config: {
      get: () => ({ storageCors, convertApiConversionsLeft: conversionsLeft() }),
      set: (patch) => {
        applyConfig(patch);
      },
    },
  });
  const applyConfig = (patch: Record<string, unknown>): void => {
    for (const key of Object.keys(patch)) {
      if (key !== 'storageCors' && key !== 'convertApiConversionsLeft')
        throw new ConfigError(`Unknown setting "${key}"`);
    }
    const { storageCors: cors, convertApiConversionsLeft: left } = patch;
    if (cors !== undefined && typeof cors !== 'boolean')
      throw new ConfigError('storageCors must be a boolean');
    if (left !== undefined && (!Number.isSafeInteger(left) || (left as number) < 0)) {
      throw new ConfigError('convertApiConversionsLeft must be a non-negative integer');
    }
    if (cors !== undefined) storageCors = cors;
    if (left !== undefined) setConversionsLeft(left as number);
  };

  let url: string;
  try {
    url = await server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  } catch (error) {
    await store.close();
    throw error;
  }

  const convertapiBase = `${url}/convertapi`;
  const convertapi = createConvertApi({
    base: convertapiBase,
    store,
    matrix: conversions,
    ...(options.processingMs === undefined ? {} : { processingMs: options.processingMs }),
    ...(options.convertApiConversions === undefined ? {} : { conversions: options.convertApiConversions }),
  });
  server.mount('convertapi', convertapi.handler);
  setConversionsLeft = (conversions) => {
    convertapi.account.conversions.setRemaining(conversions);
  };
  conversionsLeft = () => convertapi.account.conversions.remaining;

  const cloudUrls = {
    api: `${url}/cloudconvert/api/v2`,
    sync: `${url}/cloudconvert/sync/v2`,
    storage: `${url}/cloudconvert/storage`,
    oauth: `${url}/cloudconvert/oauth`,
  };
  let cloudconvert: Awaited<ReturnType<typeof createCloudConvert>>;
  try {
    cloudconvert = await createCloudConvert({
      urls: cloudUrls,
      store,
      conversions,
      storageCors: () => storageCors,
      ...(options.accessTokenLifetimeSec === undefined
        ? {}
        : { accessTokenLifetimeSec: options.accessTokenLifetimeSec }),
      ...(options.processingMs === undefined ? {} : { processingMs: options.processingMs }),
    });
  } catch (error) {
    await server.close();
    await store.close();
    throw error;
  }
  server.mount('cloudconvert-api', cloudconvert.api);
  server.mount('cloudconvert-sync', cloudconvert.sync);
  server.mount('cloudconvert-storage', cloudconvert.storage);
  server.mount('cloudconvert-oauth', cloudconvert.oauth);

  let closing: Promise<void> | undefined;
  return {
    url,
    convertapi: {
      base: convertapiBase,
      secret: convertapi.account.secret,
      apiKey: convertapi.account.apiKey,
    },
    cloudconvert: { ...cloudUrls, ...cloudconvert.credentials },
    engines: conversions.engines,
    requests: (since) => log.list(since),
    addFaults: (list) => {
      faults.add(parseFaults(list));
    },
    clearFaults: () => {
      faults.clear();
    },
    setStorageCors: (on) => {
      applyConfig({ storageCors: on });
    },
    setConvertApiConversionsLeft: (conversions) => {
      applyConfig({ convertApiConversionsLeft: conversions });
    },
    close: () =>
      (closing ??= (async () => {
        conversions.close();
        await server.close();
        await cloudconvert.close();
        await store.close();
      })()),
  };
}
