/**
 * The server kit: token endpoints for `<convert-uploader>` as Web-standard `(Request) => Promise<Response>`
 * handlers (Node 20+, Workers, Deno, Bun, Next.js route handlers), plus `toNodeListener` for Node `http`,
 * Express and Connect.
 * @module convert-uploader/server
 */
export {
  convertApiTokens,
  CONVERTAPI_DEFAULT_LIFETIME,
  CONVERTAPI_LIFETIME_CAP,
} from './convertapi-tokens.js';
export type { ConvertApiTokensOptions, ConvertApiTokenResponse } from './convertapi-tokens.js';
export { CONVERTAPI_CLAIM_NAMES } from './convertapi-claims.js';
export { cloudConvertJobs, DEFAULT_STATUS_PATH } from './cloudconvert-jobs.js';
export type { CloudConvertJobsOptions, CloudConvertJobResponse } from './cloudconvert-jobs.js';
export type { JobView, StatusTaskView, UploadForm, UploadTaskView } from './cloudconvert-job-view.js';
export { cloudConvertOAuth, DEFAULT_OAUTH_BASE_PATH, DEFAULT_OAUTH_SCOPES } from './cloudconvert-oauth.js';
export type { CloudConvertOAuthOptions, CloudConvertAccessTokenResponse } from './cloudconvert-oauth.js';
export { memoryTokenStore } from './token-store.js';
export type { TokenStore, TokenStoreLock } from './token-store.js';
export { memoryRateLimitStore } from './rate-limit-store.js';
export type { RateLimitHit, RateLimitStore } from './rate-limit-store.js';
export { redisRateLimitStore, redisTokenStore } from './redis.js';
export type { RedisClientLike, RedisRateLimitStoreOptions, RedisTokenStoreOptions } from './redis.js';
export { canonicalIp, clientKey } from './ip-address.js';
export type { IssuanceBudgetOptions } from './issuance-budget.js';
export { toNodeListener } from './node.js';
export type { NodeListener } from './node.js';
export {
  clientIpFromForwardedFor,
  clientIpFromHeader,
  connectionClientIp,
  rememberConnectionAddress,
} from './client-ip.js';
export type { ClientIpResolver } from './client-ip.js';
export { cloudConvertJobsEnv, cloudConvertOAuthEnv, convertApiEnv } from './env.js';
export type {
  CloudConvertJobsEnvOptions,
  CloudConvertOAuthEnvOptions,
  ConvertApiEnvOptions,
  Environment,
} from './env.js';
export { ConfigurationError, UpstreamError } from './errors.js';
export type { Awaitable, EndpointOptions, RequestHandler } from './endpoint-guard.js';
export type { IssueEvent, IssueHook } from './issue-event.js';
export type { FormatAllowlist } from './format-allowlist.js';
export type { FileDescription, ProviderName, TokenRequest } from '../contract/token-request.js';
export type { RateLimitOptions } from './rate-limiter.js';
export type { FetchFunction } from './upstream.js';
