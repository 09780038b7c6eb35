/** CloudConvert's REST API base URLs. */
export const CLOUDCONVERT_API_BASE = {
  production: 'https://api.cloudconvert.com/v2',
  sandbox: 'https://api.sandbox.cloudconvert.com/v2',
} as const;

/** CloudConvert's OAuth 2.0 host (the sandbox one is documented by third parties only). */
export const CLOUDCONVERT_OAUTH_BASE = {
  production: 'https://cloudconvert.com/oauth',
  sandbox: 'https://sandbox.cloudconvert.com/oauth',
} as const;
