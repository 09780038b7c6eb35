import { randomInt } from 'node:crypto';

/** The sandbox's single user, as `GET /v2/users/me` shows it (docs/cloudconvert.md §3.3). */
export interface Account {
  id: number;
  username: string;
  email: string;
  createdAt: number;
  /** Conversion credits left; convert tasks spend them and job creation is refused (402) at 0. */
  credits: number;
  paying: boolean;
  /** Requests per minute on the rate-limited routes (the 2020 sandbox answered with 500). */
  rateLimitPerMinute: number;
}

/** Credits a fresh sandbox account starts with (what the recorded sandbox user showed). */
export const DEFAULT_CREDITS = 1000;
/** `X-Ratelimit-Limit` seen in the recordings (docs/cloudconvert.md §7.4). */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 500;

/** A new account with a random numeric id, like the real eight-digit user ids. */
export function createAccount(): Account {
  return {
    id: randomInt(10_000_000, 99_999_999),
    username: 'sandbox-user',
    email: 'sandbox@example.com',
    createdAt: Date.now(),
    credits: DEFAULT_CREDITS,
    paying: false,
    rateLimitPerMinute: DEFAULT_RATE_LIMIT_PER_MINUTE,
  };
}
