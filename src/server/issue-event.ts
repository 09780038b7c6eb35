import type { Awaitable } from './endpoint-guard.js';
import type { FileDescription, ProviderName } from '../contract/token-request.js';

/** What was handed to a browser, described for an audit log. It never contains the credential itself. */
export interface IssueEvent {
  readonly provider: ProviderName;
  /** `convertapi-jwt`, `convertapi-token`, `cloudconvert-job` or `cloudconvert-access-token`. */
  readonly kind: 'convertapi-jwt' | 'convertapi-token' | 'cloudconvert-job' | 'cloudconvert-access-token';
  /** The batch the browser described (validated). */
  readonly files: readonly FileDescription[];
  /** The output format requested. */
  readonly to: string;
  /** The client's IP as the `clientIp` resolver saw it. */
  readonly clientIp: string | undefined;
  /** When the credential (or the job's status ticket) stops working, ISO 8601. */
  readonly expiresAt: string;
  /** ConvertAPI: how many requests the credential allows. */
  readonly requestCount?: number;
  /** CloudConvert server-job mode: the id of the job created. */
  readonly jobId?: string;
  /** CloudConvert OAuth: the visitor the access token belongs to. */
  readonly visitorId?: string;
}

/**
 * The audit hook: called after a credential is made and before it is sent. If it throws, the credential is
 * withheld and the caller gets a generic 500, so the hook can also veto (e.g. a quota of your own).
 */
export type IssueHook = (event: IssueEvent) => Awaitable<void>;
