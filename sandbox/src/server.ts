import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable, pipeline } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { BodyError, readJson } from './body.js';
import { controlCorsHeaders, corsResponseHeaders, isPreflight, preflightResponse } from './cors.js';
import type { FaultRegistry } from './faults.js';
import { createByteLimit, createThrottle, FaultValidationError, parseFaults } from './faults.js';
import type { RequestLog } from './request-log.js';
import type {
  CredentialUse,
  FaultAction,
  SandboxRequest,
  SandboxResponse,
  ServiceHandler,
  ServiceName,
} from './types.js';

/** Where each service is mounted, longest prefixes first. */
export const MOUNTS: ReadonlyArray<{ prefix: string; service: ServiceName }> = [
  { prefix: '/cloudconvert/storage', service: 'cloudconvert-storage' },
  { prefix: '/cloudconvert/oauth', service: 'cloudconvert-oauth' },
  { prefix: '/cloudconvert/sync', service: 'cloudconvert-sync' },
  { prefix: '/cloudconvert/api', service: 'cloudconvert-api' },
  { prefix: '/convertapi', service: 'convertapi' },
];

const CONTROL_PREFIX = '/__sandbox';
const CONTROL_BODY_LIMIT = 1024 * 1024;
const NO_CREDENTIAL: CredentialUse = { kind: 'none', where: 'none' };

/** Runtime settings that the control API can change. */
export interface SandboxConfigControl {
  get(): Record<string, unknown>;
  /** Applies a partial config; throws `ConfigError` for an unknown or invalid field. */
  set(patch: Record<string, unknown>): void;
}

/** A config patch that cannot be applied. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface SandboxServerOptions {
  faults: FaultRegistry;
  log: RequestLog;
  storageCors: () => boolean;
  config: SandboxConfigControl;
}

/**
 * The HTTP core: one server, services mounted by path prefix, faults applied around them,
 * CORS added per service, every service request logged, and the `/__sandbox` control API.
 */
export class SandboxServer {
  readonly #server: Server;
  readonly #services = new Map<ServiceName, ServiceHandler>();
  readonly #options: SandboxServerOptions;
  #origin = 'http://127.0.0.1';

  constructor(options: SandboxServerOptions) {
    this.#options = options;
    // Throttled uploads may take long; the real hosts allow uploads of hours (docs/convertapi.md §8).
    this.#server = createServer({ requestTimeout: 0 }, (req, res) => void this.#handle(req, res));
  }

  /** Mounts a service handler (services are created once the public URL is known). */
  mount(service: ServiceName, handler: ServiceHandler): void {
    this.#services.set(service, handler);
  }

  /** Starts listening and resolves the public base URL, e.g. `http://127.0.0.1:8787`. */
  async listen(port: number, host: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const address = this.#server.address() as AddressInfo;
    this.#origin = `http://${publicHost(host)}:${address.port}`;
    return this.#origin;
  }

  /** Stops accepting connections and drops the open ones. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
      this.#server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.#origin);
    try {
      if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
        await this.#control(req, res, url);
        return;
      }
      const mount = MOUNTS.find(
        ({ prefix }) => url.pathname === prefix || url.pathname.startsWith(`${prefix}/`),
      );
      const handler = mount && this.#services.get(mount.service);
      if (!mount || !handler) {
        writeResponse(res, { status: 404, body: { message: 'No sandbox service at this path' } });
        return;
      }
      await this.#serve(
        req,
        res,
        mount.service,
        handler,
        url,
        url.pathname.slice(mount.prefix.length) || '/',
      );
    } catch (error) {
      if (!res.headersSent && !res.destroyed) writeResponse(res, errorResponse(error));
    }
  }

  async #serve(
    req: IncomingMessage,
    res: ServerResponse,
    service: ServiceName,
    handler: ServiceHandler,
    url: URL,
    path: string,
  ): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const corsRequest = { method, headers: req.headers };
    const preflight =
      isPreflight(corsRequest) && !this.#options.faults.hasExplicitMethod(service, method, path);
    const action = preflight ? undefined : this.#options.faults.take(service, method, path);
    const request: SandboxRequest = {
      service,
      method,
      url: new URL(path + url.search, this.#origin),
      headers: req.headers,
      body: requestBody(req, action),
      clientIp: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
    };
    res.once('close', () => {
      this.#options.log.record({
        service,
        method,
        path: request.logPath ?? path,
        // A reset connection never sent a status: logged as 0.
        status: res.headersSent ? res.statusCode : 0,
        credential: request.credential ?? NO_CREDENTIAL,
        ...(action ? { fault: true } : {}),
      });
    });

    if (preflight) {
      writeResponse(res, preflightResponse(service, corsRequest, this.#options.storageCors()));
      return;
    }
    let response: SandboxResponse;
    if (action?.status !== undefined) {
      await drain(request.body);
      response = { status: action.status, headers: action.headers ?? {}, body: action.body };
    } else {
      response = await handler(request).then(
        (answer) => answer ?? { status: 404, body: { message: 'Not found' } },
        (error: unknown) => errorResponse(error),
      );
      if (action?.headers) response.headers = { ...response.headers, ...action.headers };
    }
    if (action?.delayMs) await sleep(action.delayMs);
    if (res.destroyed || req.socket.destroyed) {
      destroyBody(response.body);
      return;
    }
    const cors = corsResponseHeaders(service, corsRequest, this.#options.storageCors());
    writeResponse(
      res,
      { ...response, headers: { ...cors, ...response.headers } },
      {
        malformed: action?.malformed === true,
        throttleBytesPerSec:
          action?.throttleBytesPerSec !== undefined && !hasBody(req) ? action.throttleBytesPerSec : undefined,
      },
    );
    // A body the handler left unread is drained, so the client can finish sending and reuse the connection
    // (Node does this by itself only for the raw request, not for the fault pipeline around it).
    if (request.body !== req && !request.body.readableEnded) request.body.resume();
  }

  async #control(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const route = url.pathname.slice(CONTROL_PREFIX.length);
    const cors = controlCorsHeaders({ method, headers: req.headers });
    const answer = (response: SandboxResponse): void => {
      writeResponse(res, { ...response, headers: { ...cors, ...response.headers } });
    };
    const { faults, log, config } = this.#options;

    if (method === 'OPTIONS') {
      answer({ status: 204 });
      return;
    }
    try {
      switch (`${method} ${route}`) {
        case 'GET /faults': {
          answer({ status: 200, body: faults.list() });
          return;
        }
        case 'POST /faults': {
          const added = parseFaults(await readJson(req, CONTROL_BODY_LIMIT));
          faults.add(added);
          answer({ status: 201, body: { added: added.length, faults: faults.list() } });
          return;
        }
        case 'DELETE /faults':
          faults.clear();
          {
            answer({ status: 204 });
            return;
          }
        case 'GET /requests': {
          const since = Number(url.searchParams.get('since') ?? '0');
          answer({ status: 200, body: log.list(Number.isFinite(since) ? since : 0) });
          return;
        }
        case 'DELETE /requests':
          log.clear();
          {
            answer({ status: 204 });
            return;
          }
        case 'GET /config': {
          answer({ status: 200, body: config.get() });
          return;
        }
        case 'POST /config': {
          const patch = await readJson(req, CONTROL_BODY_LIMIT);
          if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
            throw new ConfigError('The config must be a JSON object');
          }
          config.set(patch as Record<string, unknown>);
          answer({ status: 200, body: config.get() });
          return;
        }
        default: {
          answer({ status: 404, body: { message: `No control route ${method} ${url.pathname}` } });
          return;
        }
      }
    } catch (error) {
      if (error instanceof FaultValidationError || error instanceof ConfigError) {
        answer({ status: 400, body: { message: error.message } });
        return;
      }
      answer(errorResponse(error));
      return;
    }
  }
}

/** The host part of the public URL: wildcard binds are reached through loopback. */
function publicHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The request body as the handler reads it: throttled and/or cut off when a fault says so. */
function requestBody(req: IncomingMessage, action: FaultAction | undefined): Readable {
  if (action?.resetAfterBytes === undefined && action?.throttleBytesPerSec === undefined) return req;
  const stages: NodeJS.ReadWriteStream[] = [];
  if (action.resetAfterBytes !== undefined) {
    const resetSocket = (): void => void req.socket.destroy();
    if (action.resetAfterBytes === 0) setImmediate(resetSocket);
    stages.push(createByteLimit(action.resetAfterBytes, resetSocket));
  }
  if (action.throttleBytesPerSec !== undefined && hasBody(req))
    stages.push(createThrottle(action.throttleBytesPerSec));
  const out = new PassThrough();
  // pipeline() forwards a cut connection as an error, so a handler reading the body never hangs.
  pipeline([req, ...stages, out], () => undefined);
  return out;
}

async function drain(body: Readable): Promise<void> {
  body.resume();
  // A cut body ends the request; the caller notices the destroyed socket.
  await finished(body).catch(() => undefined);
}

function destroyBody(body: unknown): void {
  if (body instanceof Readable) body.destroy();
}

/** Maps an error escaping a handler to a response (a cut connection gets none: the socket is gone). */
function errorResponse(error: unknown): SandboxResponse {
  if (error instanceof BodyError)
    return { status: error.kind === 'too-large' ? 413 : 400, body: { message: error.message } };
  console.error('[convert-uploader sandbox] handler failed:', error);
  return { status: 500, body: { message: 'Sandbox internal error' } };
}

interface WriteOptions {
  malformed?: boolean;
  throttleBytesPerSec?: number | undefined;
}

/** Writes a `SandboxResponse`: objects as JSON, strings and Buffers as they are, streams piped. */
export function writeResponse(
  res: ServerResponse,
  response: SandboxResponse,
  options: WriteOptions = {},
): void {
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  const body = response.body;
  if (body instanceof Readable && !options.malformed) {
    res.writeHead(response.status);
    const source = options.throttleBytesPerSec
      ? body.pipe(createThrottle(options.throttleBytesPerSec))
      : body;
    pipeline(source, res, () => undefined);
    return;
  }
  if (body instanceof Readable) {
    void collect(body).then((bytes) => {
      writeBytes(res, response.status, bytes, options);
    });
    return;
  }
  let bytes: Buffer | undefined;
  if (body === undefined || body === null) bytes = undefined;
  else if (Buffer.isBuffer(body)) bytes = body;
  else if (typeof body === 'string') bytes = Buffer.from(body);
  else {
    if (!res.hasHeader('content-type')) res.setHeader('Content-Type', 'application/json; charset=utf-8');
    bytes = Buffer.from(JSON.stringify(body));
  }
  writeBytes(res, response.status, bytes, options);
}

function writeBytes(
  res: ServerResponse,
  status: number,
  bytes: Buffer | undefined,
  options: WriteOptions,
): void {
  const payload = bytes && options.malformed ? corrupt(bytes) : bytes;
  res.setHeader('Content-Length', String(payload?.length ?? 0));
  res.writeHead(status);
  if (!payload || payload.length === 0) {
    res.end();
    return;
  }
  if (options.throttleBytesPerSec) {
    pipeline(Readable.from([payload]), createThrottle(options.throttleBytesPerSec), res, () => undefined);
    return;
  }
  res.end(payload);
}

/** Cuts a body in half; if what is left still parses as JSON, a stray brace makes sure it does not. */
function corrupt(bytes: Buffer): Buffer {
  const half = bytes.subarray(0, Math.floor(bytes.length / 2));
  try {
    JSON.parse(half.toString('utf8'));
    return Buffer.concat([half, Buffer.from('{')]);
  } catch {
    return half;
  }
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}
