import { randomInt } from 'node:crypto';
import { UsageCounter } from './usage.js';

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Token ids look like the documented `4X4RxBGP`: 8 mixed-case alphanumerics. */
export const TOKEN_ID_LENGTH = 8;

/** A token made by `POST /token/create`: limited uses and a lifetime. */
export interface ApiToken {
  id: string;
  /** Expiry, milliseconds since the epoch. */
  validUntil: number;
  uses: UsageCounter;
}

/** The account's tokens. */
export class TokenStore {
  readonly #tokens = new Map<string, ApiToken>();

  constructor(private readonly now: () => number = Date.now) {}

  create(requestCount: number, lifetimeSec: number): ApiToken {
    let id = randomTokenId();
    while (this.#tokens.has(id)) id = randomTokenId();
    const token: ApiToken = {
      id,
      validUntil: this.now() + lifetimeSec * 1000,
      uses: new UsageCounter(requestCount),
    };
    this.#tokens.set(id, token);
    return token;
  }

  /** The token, or `undefined` when unknown, deleted or expired. */
  get(id: string): ApiToken | undefined {
    const token = this.#tokens.get(id);
    if (token && token.validUntil <= this.now()) {
      this.#tokens.delete(id);
      return undefined;
    }
    return token;
  }

  delete(id: string): boolean {
    return this.get(id) !== undefined && this.#tokens.delete(id);
  }
}

function randomTokenId(): string {
  let id = '';
  for (let i = 0; i < TOKEN_ID_LENGTH; i++) id += TOKEN_ALPHABET.charAt(randomInt(TOKEN_ALPHABET.length));
  return id;
}

/** `ValidUntil` the way the docs print it: seven fractional digits, e.g. `2017-08-22T16:45:24.6184076Z`. */
export function formatValidUntil(milliseconds: number): string {
  return new Date(milliseconds).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}
