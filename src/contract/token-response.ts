/** ConvertAPI: a short-lived token (a JWT or a token id) for `requestCount` requests. */
export interface ConvertApiTokenAnswer {
  readonly provider: 'convertapi';
  readonly token: string;
  /** ISO 8601; required for a token id, optional for a JWT, which carries its own expiry. */
  readonly expiresAt?: string;
  readonly requestCount?: number;
}

/** CloudConvert access-token mode: a short-lived OAuth access token; the element creates the job. */
export interface CloudConvertAccessTokenAnswer {
  readonly provider: 'cloudconvert';
  readonly accessToken: string;
  readonly expiresAt?: string;
}

/**
 * CloudConvert server-job mode: the job the host created, with each `import/upload` task's form, and where
 * its progress is served (resolved against the token endpoint's URL when relative).
 */
export interface CloudConvertJobAnswer {
  readonly provider: 'cloudconvert';
  readonly job: unknown;
  readonly statusUrl: string;
  readonly expiresAt?: string;
}

/** What a token endpoint may answer with status 200. */
export type TokenResponse = ConvertApiTokenAnswer | CloudConvertAccessTokenAnswer | CloudConvertJobAnswer;
