import { isRecord } from '../contract/guards.js';
import { secureUrl } from '../contract/url-policy.js';
import {
  bareToken,
  checkLifetime,
  credentialExpiry,
  decodeJwtClaims,
  nonEmptyString,
  parseInstant,
  rejectAnswer,
  type Credential,
  type CredentialParser,
} from '../engine/credential-guard.js';

/** A CloudConvert OAuth access token of the visitor's own account (access-token mode). */
export interface CloudConvertAccessToken extends Credential {
  readonly kind: 'cloudconvert-access-token';
  readonly secretValue: string;
  readonly expiresAt: number;
}

/** A CloudConvert job the site created for one batch (server-job mode): no credential at all. */
export interface CloudConvertServerJob extends Credential {
  readonly kind: 'cloudconvert-job';
  readonly job: unknown;
  readonly statusUrl: URL;
  readonly batchScoped: true;
}

/**
 * CloudConvert's half of the guard: a server job (`job` and an https or loopback `statusUrl`, kept for its
 * batch only), or an access token near its expiry (its own `exp` when it is a JWT, else `expiresAt`).
 */
export const parseCloudConvertCredential: CredentialParser = (
  answer,
  options,
): CloudConvertAccessToken | CloudConvertServerJob => {
  if ('job' in answer || 'statusUrl' in answer) {
    if (!isRecord(answer['job'])) rejectAnswer('`job` is missing');
    const statusUrl = secureUrl(nonEmptyString(answer['statusUrl'], 'statusUrl'), options.baseUrl);
    if (!statusUrl) rejectAnswer('`statusUrl` is neither https nor loopback');
    const expiresAt = parseInstant(answer['expiresAt']);
    return { kind: 'cloudconvert-job', job: answer['job'], statusUrl, expiresAt, batchScoped: true };
  }
  const accessToken = bareToken(answer['accessToken'], 'accessToken');
  const jwt = decodeJwtClaims(accessToken);
  const expiresAt = checkLifetime(
    credentialExpiry(jwt, answer['expiresAt'], options),
    options,
    'access token',
  );
  return { kind: 'cloudconvert-access-token', secretValue: accessToken, expiresAt };
};

/** Whether a credential is a CloudConvert access token. */
export function isCloudConvertAccessToken(credential: Credential): credential is CloudConvertAccessToken {
  return credential.kind === 'cloudconvert-access-token';
}

/** Whether a credential is a CloudConvert server job. */
export function isCloudConvertServerJob(credential: Credential): credential is CloudConvertServerJob {
  return credential.kind === 'cloudconvert-job';
}
