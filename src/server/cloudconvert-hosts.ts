import { isLoopbackHost } from '../contract/url-policy.js';

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

/**
 * Whether a job may import `url` (`import/url`, to convert a file again without a second upload): an
 * export on CloudConvert's storage, https on `storage.cloudconvert.com` or a regional
 * `<region>.storage.cloudconvert.com` (docs/cloudconvert.md §1, the sandbox's exports included); or, when
 * the API base is on a loopback host (a local sandbox, whose hosts share its origin), that origin. Nothing
 * else: CloudConvert would fetch any URL with the site's key and credits.
 */
export function isImportableUrl(url: URL, apiBase: string): boolean {
  const api = new URL(apiBase);
  return (
    !url.username &&
    !url.password &&
    ((url.protocol === 'https:' &&
      !url.port &&
      /^([a-z0-9-]+\.)?storage\.cloudconvert\.com$/.test(url.hostname)) ||
      (isLoopbackHost(api.hostname) && url.origin === api.origin))
  );
}
