import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

/** The emulated services, as named in fault matches and in the request log. */
export type ServiceName =
  'convertapi' | 'cloudconvert-api' | 'cloudconvert-sync' | 'cloudconvert-storage' | 'cloudconvert-oauth';

/** A request as a service handler sees it: the body is a stream (throttled or cut by faults). */
export interface SandboxRequest {
  readonly service: ServiceName;
  readonly method: string;
  /** Full URL; `pathname` is relative to the service's mount point (e.g. `/convert/txt/to/pdf`). */
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: Readable;
  /** Client address as the service would see it (IPv4-mapped IPv6 prefix removed). */
  readonly clientIp: string;
  /** Set by the handler: how the caller authenticated, for the request log (never the value). */
  credential?: CredentialUse;
  /** Set by the handler when the path itself carries a credential (e.g. a token id): logged instead of the path. */
  logPath?: string;
}

export interface CredentialUse {
  kind: 'secret' | 'token' | 'jwt' | 'api-key' | 'access-token' | 'none';
  where: 'header' | 'query' | 'body' | 'none';
}

/** What a handler answers; the server core writes it (and applies `malformed` faults to JSON bodies). */
export interface SandboxResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  /** A plain object or array is sent as JSON; a string or Buffer as is; a Readable is piped. */
  body?: unknown;
}

/** A service mounted on the sandbox. Returns `undefined` when no route matches (the core answers 404). */
export type ServiceHandler = (request: SandboxRequest) => Promise<SandboxResponse | undefined>;

export interface FaultMatch {
  service?: ServiceName;
  method?: string;
  /** Exact path, or a pattern with `*` wildcards, relative to the service's mount point. */
  path?: string;
}

export interface FaultAction {
  /** Answer with this status (and `body`) instead of the service; the request body is read first. */
  status?: number;
  body?: unknown;
  /** Extra response headers, on the fault's answer or on the service's. */
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Read the request body at this rate; a request without a body gets its response throttled instead. */
  throttleBytesPerSec?: number;
  /** Destroy the socket once this many request-body bytes arrived (0: at once); a shorter body is not cut. */
  resetAfterBytes?: number;
  /** Send the answer cut in half (so JSON no longer parses), with the same status. */
  malformed?: boolean;
}

export interface Fault {
  match: FaultMatch;
  /** How many matching requests it applies to; absent means every one until cleared. */
  times?: number;
  action: FaultAction;
}

export interface RequestLogEntry {
  seq: number;
  time: string;
  service: ServiceName;
  method: string;
  path: string;
  status: number;
  credential: CredentialUse;
  /** Set when a fault was applied to this request. */
  fault?: boolean;
}
