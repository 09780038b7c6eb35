import { decodeJwt } from 'jose';
import { ConfigurationError } from './errors.js';

/** Scopes a key needs to create jobs and read them back. */
const REQUIRED_SCOPES = ['task.read', 'task.write'];

/**
 * Refuses what cannot be a usable CloudConvert API key: CloudConvert keys are JWTs, and when their `scopes`
 * claim is readable it must include `task.read` and `task.write`. The error never shows the key.
 */
export function checkCloudConvertApiKey(apiKey: string, option: string): void {
  let payload: Record<string, unknown>;
  try {
    payload = decodeJwt(apiKey);
  } catch {
    throw new ConfigurationError(`The option "${option}" does not look like a CloudConvert API key (a JWT).`);
  }
  const { scopes } = payload;
  if (
    Array.isArray(scopes) &&
    !scopes.includes('*') &&
    !REQUIRED_SCOPES.every((scope) => scopes.includes(scope))
  ) {
    throw new ConfigurationError(
      `The option "${option}" holds a key without the scopes task.read and task.write.`,
    );
  }
}
