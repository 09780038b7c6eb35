import type { Conversions } from '../conversions/index.js';
import type { FileStore } from '../file-store.js';
import type { SandboxRequest, SandboxResponse, ServiceHandler } from '../types.js';
import { ConvertApiAccount } from './account.js';
import { AsyncJobs } from './async-jobs.js';
import { noteCredential, requireSecret } from './auth.js';
import type { ConvertApiContext } from './context.js';
import { handleConvert } from './convert.js';
import { handleStoredFile } from './download.js';
import { ConvertApiError, errors } from './errors.js';
import { handleInfo } from './info.js';
import { JwtUsage } from './jwt.js';
import { queryValue } from './query.js';
import { handleTokenCreate, handleTokenDelete } from './token-routes.js';
import { TokenStore } from './tokens.js';
import { handleUpload } from './upload.js';

export interface ConvertApiOptions {
  /** Public base URL of the emulated host, e.g. `http://127.0.0.1:8787/convertapi`. */
  base: string;
  store: FileStore;
  /** What the running sandbox can convert (its engines decide). */
  matrix: Conversions;
  /** How long an async job stays "in progress" at least (default 0). */
  processingMs?: number;
  /** Conversions the account may run before 4014 (default `DEFAULT_CONVERSIONS`). */
  conversions?: number;
}

/** The ConvertAPI emulation: its handler and the account it serves. */
export interface ConvertApiService {
  handler: ServiceHandler;
  account: ConvertApiAccount;
}

const CONVERT = /^\/convert\/([^/]+)\/to\/([^/]+)\/?$/i;
const ASYNC_CONVERT = /^\/async\/convert\/([^/]+)\/to\/([^/]+)\/?$/i;
// `/job/{id}` is the legacy form of `/async/job/{id}` (docs/convertapi.md §4).
const ASYNC_JOB = /^\/(?:async\/)?job\/([^/]+)\/?$/i;
const STORED_FILE = /^\/d\/([^/]+)(?:\/[^/]*)?\/?$/i;
const TOKEN = /^\/token\/([^/]+)\/?$/i;

/** Creates the v2.convertapi.com emulation (docs/convertapi.md §10) with a freshly generated account. */
export function createConvertApi(options: ConvertApiOptions): ConvertApiService {
  const context: ConvertApiContext = {
    base: options.base.replace(/\/$/, ''),
    store: options.store,
    conversions: options.matrix,
    account: new ConvertApiAccount(options.conversions),
    tokens: new TokenStore(),
    jwtUsage: new JwtUsage(),
    jobs: new AsyncJobs(options.processingMs ?? 0),
  };
  const handler: ServiceHandler = async (request) => {
    try {
      return await route(request, context);
    } catch (error) {
      if (error instanceof ConvertApiError) return error.toResponse();
      throw error;
    }
  };
  return { handler, account: context.account };
}

async function route(
  request: SandboxRequest,
  context: ConvertApiContext,
): Promise<SandboxResponse | undefined> {
  const path = request.url.pathname;
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  let match: RegExpExecArray | null;

  if ((match = CONVERT.exec(path)) && (method === 'POST' || method === 'GET')) {
    const async = queryValue(request.url, 'Async')?.toLowerCase() === 'true';
    return handleConvert(
      request,
      context,
      segment(group(match, 1)),
      segment(group(match, 2)),
      async ? 'async' : 'sync',
    );
  }
  if ((match = ASYNC_CONVERT.exec(path)) && method === 'POST') {
    return handleConvert(request, context, segment(group(match, 1)), segment(group(match, 2)), 'async');
  }
  if ((match = ASYNC_JOB.exec(path)) && (method === 'GET' || method === 'DELETE')) {
    return asyncJob(request, context, decode(group(match, 1)));
  }
  // `/upload-from-url?url=` is the JAVA client's undocumented spelling of `/upload?url=` (docs/convertapi.md §3).
  if ((path === '/upload' || path === '/upload-from-url') && method === 'POST')
    return handleUpload(request, context);
  if ((match = STORED_FILE.exec(path)) && (method === 'GET' || method === 'DELETE')) {
    return handleStoredFile(request, context, decode(group(match, 1)));
  }
  if (path === '/user' && method === 'GET') {
    requireSecret(request, context);
    return { status: 200, body: context.account.userInfo() };
  }
  if (path === '/token/create' && method === 'POST') return handleTokenCreate(request, context);
  if ((match = TOKEN.exec(path)) && method === 'DELETE')
    return handleTokenDelete(request, context, decode(group(match, 1)));
  if (method === 'GET' && path.startsWith('/info')) {
    const info = handleInfo(path, context.conversions);
    if (info) return info;
  }
  noteCredential(request, context);
  return errors.notFound().toResponse();
}

/**
 * Polling: 202 while running, then the conversion's own answer; 404 for an unknown JobId.
 * [?] The real service answers 503 to overlapping polls; the sandbox does not (a fault can).
 */
function asyncJob(request: SandboxRequest, context: ConvertApiContext, jobId: string): SandboxResponse {
  noteCredential(request, context);
  if (request.method === 'DELETE') return { status: context.jobs.delete(jobId) ? 200 : 404 };
  return context.jobs.poll(jobId) ?? { status: 404 };
}

function group(match: RegExpExecArray, index: number): string {
  return match[index] ?? '';
}

/** A format segment: formats are case-insensitive. */
function segment(raw: string): string {
  return decode(raw).toLowerCase();
}

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
