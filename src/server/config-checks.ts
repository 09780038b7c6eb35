import { isNonBlankString } from '../contract/guards.js';
import { secureUrl } from '../contract/url-policy.js';
import { ConfigurationError } from './errors.js';

/** A required, non-empty string option; the error names the option, never a value. */
export function requireText(value: unknown, option: string): string {
  if (!isNonBlankString(value)) {
    throw new ConfigurationError(`The option "${option}" is required and must be a non-empty string.`);
  }
  return value;
}

/**
 * One secret or a rotation list (`[current, …previous]`), each at least `minBytes` long in UTF-8.
 * Returns the list with the current secret first.
 */
export function requireSecrets(value: unknown, option: string, minBytes: number): readonly string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  if (list.length === 0) throw new ConfigurationError(`The option "${option}" is required.`);
  for (const secret of list) {
    requireText(secret, option);
    if (new TextEncoder().encode(secret as string).length < minBytes) {
      throw new ConfigurationError(
        `The option "${option}" is too short: it needs at least ${minBytes} bytes.`,
      );
    }
  }
  return list as string[];
}

/** Picks `single` or `list` (exactly one of them may be given) as one rotation list. */
export function eitherOne<T>(
  single: T | undefined,
  list: readonly T[] | undefined,
  names: string,
): readonly T[] | undefined {
  if (single !== undefined && list !== undefined) {
    throw new ConfigurationError(`Give only one of the options ${names}.`);
  }
  return list ?? (single === undefined ? undefined : [single]);
}

/** An integer option within `[min, max]`, or `fallback` when absent. */
export function integerOption(
  value: unknown,
  option: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigurationError(`The option "${option}" must be an integer from ${min} to ${max}.`);
  }
  return value;
}

/** An absolute `https:` URL option (plain `http:` only on loopback hosts), without credentials. */
export function secureUrlOption(value: unknown, option: string): URL {
  const text = requireText(value, option);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigurationError(`The option "${option}" must be an absolute URL.`);
  }
  if (url.username || url.password)
    throw new ConfigurationError(`The option "${option}" must not contain credentials.`);
  if (secureUrl(url) === undefined) {
    throw new ConfigurationError(
      `The option "${option}" must use https: (plain http: only on loopback hosts).`,
    );
  }
  return url;
}

/** A base URL of a service (see {@link secureUrlOption}) without a trailing slash, or `fallback` when absent. */
export function serviceBaseUrl(value: unknown, option: string, fallback: string): string {
  if (value === undefined) return fallback;
  return secureUrlOption(value, option).href.replace(/\/+$/, '');
}

/** A URL path option: starts with `/`, no trailing slash, no query. */
export function pathOption(value: unknown, option: string, fallback: string): string {
  if (value === undefined) return fallback;
  const path = requireText(value, option);
  if (
    !/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/.test(path) ||
    path.includes('//') ||
    (path.length > 1 && path.endsWith('/'))
  ) {
    throw new ConfigurationError(`The option "${option}" must be a path like "/api/convert/jobs".`);
  }
  return path;
}

/** A function option, or undefined. */
export function optionalFunction<T>(value: T | undefined, option: string): T | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new ConfigurationError(`The option "${option}" must be a function.`);
  }
  return value;
}
