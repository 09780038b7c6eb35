import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { UsageCounter } from './usage.js';

/** The conversions a fresh sandbox account may run; the control API can lower it (to reach 4014). */
export const DEFAULT_CONVERSIONS = 100_000;

/**
 * The one ConvertAPI account the sandbox serves, with credentials generated at start.
 * The secret is 32 URL-safe random characters; the ApiKey a 9-digit number, as on real accounts.
 */
export class ConvertApiAccount {
  readonly secret = randomBytes(24).toString('base64url');
  readonly apiKey = String(randomInt(100_000_000, 1_000_000_000));
  readonly conversions: UsageCounter;

  constructor(conversionsTotal = DEFAULT_CONVERSIONS) {
    this.conversions = new UsageCounter(conversionsTotal);
  }

  /** Compares a presented string with the secret in constant time. */
  isSecret(candidate: string): boolean {
    const expected = Buffer.from(this.secret);
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** The `GET /user` body (docs/convertapi.md §6, current shape plus the clients' `Status`). */
  userInfo(): Record<string, unknown> {
    return {
      Secret: this.secret,
      ApiKey: Number(this.apiKey),
      Active: true,
      Status: 'Active',
      FullName: 'Sandbox User',
      Email: 'sandbox@convert-uploader.invalid',
      ConversionsTotal: this.conversions.limit,
      ConversionsConsumed: this.conversions.used,
    };
  }
}
