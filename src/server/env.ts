import { ConfigurationError } from './errors.js';

/** Environment variables as a plain record (`process.env`, a Worker's `env`, `Deno.env.toObject()`). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Secrets read from `CONVERTAPI_SECRET` (comma-separated for rotation, current first) and `CONVERTAPI_API_KEY`. */
export interface ConvertApiEnvOptions {
  secrets: readonly string[];
  apiKey?: string;
}

/** Settings read from `CLOUDCONVERT_API_KEY`, `CLOUDCONVERT_SANDBOX` and the ticket secret. */
export interface CloudConvertJobsEnvOptions {
  apiKeys: readonly string[];
  sandbox: boolean;
  ticketSecret: readonly string[];
}

/** Settings read from `CLOUDCONVERT_CLIENT_ID`, `…_CLIENT_SECRET`, `…_REDIRECT_URI`, `…_SANDBOX` and the encryption key. */
export interface CloudConvertOAuthEnvOptions {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  sandbox: boolean;
  encryptionKey: readonly string[];
}

/**
 * `convertApiTokens` options from the environment: `CONVERTAPI_SECRET` (required) and `CONVERTAPI_API_KEY`
 * (required in `jwt` mode, checked by the handler). Spread the result into the options.
 */
export function convertApiEnv(env: Environment = processEnv()): ConvertApiEnvOptions {
  const apiKey = optional(env, 'CONVERTAPI_API_KEY');
  const secrets = list(env, 'CONVERTAPI_SECRET');
  return apiKey === undefined ? { secrets } : { secrets, apiKey };
}

/**
 * `cloudConvertJobs` options from the environment: `CLOUDCONVERT_API_KEY` (comma-separated for rotation),
 * `CLOUDCONVERT_SANDBOX` (`true`/`false`), and `CONVERT_UPLOADER_TICKET_SECRET` (or, when unset,
 * `CONVERT_UPLOADER_ENCRYPTION_KEY`; keys are derived per purpose, so sharing one secret is safe).
 */
export function cloudConvertJobsEnv(env: Environment = processEnv()): CloudConvertJobsEnvOptions {
  const ticketVariable =
    optional(env, 'CONVERT_UPLOADER_TICKET_SECRET') === undefined
      ? 'CONVERT_UPLOADER_ENCRYPTION_KEY'
      : 'CONVERT_UPLOADER_TICKET_SECRET';
  return {
    apiKeys: list(env, 'CLOUDCONVERT_API_KEY'),
    sandbox: flag(env, 'CLOUDCONVERT_SANDBOX'),
    ticketSecret: list(env, ticketVariable),
  };
}

/**
 * `cloudConvertOAuth` options from the environment: `CLOUDCONVERT_CLIENT_ID`, `CLOUDCONVERT_CLIENT_SECRET`,
 * `CLOUDCONVERT_REDIRECT_URI`, `CLOUDCONVERT_SANDBOX` and `CONVERT_UPLOADER_ENCRYPTION_KEY` (comma-separated for
 * rotation).
 */
export function cloudConvertOAuthEnv(env: Environment = processEnv()): CloudConvertOAuthEnvOptions {
  return {
    clientId: required(env, 'CLOUDCONVERT_CLIENT_ID'),
    clientSecret: required(env, 'CLOUDCONVERT_CLIENT_SECRET'),
    redirectUri: required(env, 'CLOUDCONVERT_REDIRECT_URI'),
    sandbox: flag(env, 'CLOUDCONVERT_SANDBOX'),
    encryptionKey: list(env, 'CONVERT_UPLOADER_ENCRYPTION_KEY'),
  };
}

function processEnv(): Environment {
  return (globalThis as { process?: { env?: Environment } }).process?.env ?? {};
}

function optional(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function required(env: Environment, name: string): string {
  const value = optional(env, name);
  if (value === undefined) throw new ConfigurationError(`Set the environment variable ${name}.`);
  return value;
}

function list(env: Environment, name: string): readonly string[] {
  return required(env, name)
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function flag(env: Environment, name: string): boolean {
  const value = optional(env, name)?.toLowerCase();
  if (value === undefined || ['false', '0', 'no', 'off'].includes(value)) return false;
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  throw new ConfigurationError(`The environment variable ${name} must be true or false.`);
}
