import { ConfigurationError } from './errors.js';
import type { RateLimitStore } from './rate-limit-store.js';
import type { TokenStore, TokenStoreLock } from './token-store.js';
import { randomToken } from './random.js';

/**
 * The Redis client you already have, described by the one method the adapters call, so that no client is a
 * dependency of this package: node-redis (`redis` v4 and later: `createClient()`, connected) has
 * `sendCommand(args)`, ioredis has `call(command, ...args)` (used when present). Any object with either works,
 * e.g. a wrapper around a cluster client that routes by the command's first key (every command here touches
 * one key).
 */
export type RedisClientLike =
  | { sendCommand(args: string[]): Promise<unknown> }
  | { call(command: string, ...args: string[]): Promise<unknown> };

/** Options of {@link redisTokenStore}. */
export interface RedisTokenStoreOptions {
  /** Key prefix; default `convert-uploader:oauth:`. Records are `<prefix><visitorId>`, locks `<…>:lock`. */
  prefix?: string;
  /**
   * Seconds a record is kept after its last write (each refresh writes it again); default 180 days, the life
   * of the kit's visitor cookie. Connections unused for longer are forgotten.
   */
  ttlSeconds?: number;
}

/** Options of {@link redisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  /** Key prefix; default `convert-uploader:rate:`. */
  prefix?: string;
}

type Command = (args: string[]) => Promise<unknown>;

function commandOf(client: unknown): Command {
  const candidate = client as Partial<{
    sendCommand: (args: string[]) => Promise<unknown>;
    call: (command: string, ...args: string[]) => Promise<unknown>;
  }> | null;
  // ioredis has both, and its sendCommand takes a Command object: look for call first.
  if (typeof candidate?.call === 'function') {
    const call = candidate.call.bind(candidate);
    return ([command, ...args]) => call(command as string, ...args);
  }
  if (typeof candidate?.sendCommand === 'function') {
    const sendCommand = candidate.sendCommand.bind(candidate);
    return (args) => sendCommand(args);
  }
  throw new ConfigurationError(
    'The Redis client must be a node-redis client (sendCommand) or an ioredis client (call).',
  );
}

function prefixOption(value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw new ConfigurationError('The option "prefix" must be a string.');
  return value;
}

/** Redis answers a nil bulk string as `null`, some clients (RESP3 settings aside) as `undefined`. */
const textOrUndefined = (reply: unknown): string | undefined =>
  typeof reply === 'string'
    ? reply
    : reply instanceof Uint8Array
      ? new TextDecoder().decode(reply)
      : undefined;

const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= false then return 0 end
elseif current ~= ARGV[2] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[4])
return 1`;

const DELETE_IF_EQUAL = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * A {@link TokenStore} on Redis, for several instances sharing OAuth connections: compare-and-set and
 * delete-if-unchanged are Lua scripts (atomic), and the refresh lock is `SET NX PX` with a random owner token,
 * released only by its owner. Pass your connected client: `redisTokenStore(client)`.
 */
export function redisTokenStore(client: RedisClientLike, options: RedisTokenStoreOptions = {}): TokenStore {
  const command = commandOf(client);
  const prefix = prefixOption(options.prefix, 'convert-uploader:oauth:');
  const ttl = options.ttlSeconds ?? 180 * 24 * 3600;
  if (!Number.isSafeInteger(ttl) || ttl < 60) {
    throw new ConfigurationError('The option "ttlSeconds" must be an integer of at least 60.');
  }
  const key = (visitorId: string): string => `${prefix}${visitorId}`;

  return {
    async get(visitorId) {
      return textOrUndefined(await command(['GET', key(visitorId)]));
    },
    async set(visitorId, encryptedRecord) {
      await command(['SET', key(visitorId), encryptedRecord, 'EX', String(ttl)]);
    },
    async delete(visitorId) {
      await command(['DEL', key(visitorId)]);
    },
    async compareAndSet(visitorId, expected, next) {
      const reply = await command([
        'EVAL',
        COMPARE_AND_SET,
        '1',
        key(visitorId),
        expected === undefined ? '1' : '0',
        expected ?? '',
        next,
        String(ttl),
      ]);
      return Number(reply) === 1;
    },
    async deleteIfUnchanged(visitorId, expected) {
      return Number(await command(['EVAL', DELETE_IF_EQUAL, '1', key(visitorId), expected])) === 1;
    },
    async lock(visitorId, ttlMs): Promise<TokenStoreLock | undefined> {
      const lockKey = `${key(visitorId)}:lock`;
      const owner = randomToken(16);
      const reply = await command(['SET', lockKey, owner, 'NX', 'PX', String(Math.max(1, Math.ceil(ttlMs)))]);
      if (textOrUndefined(reply) !== 'OK') return undefined;
      return {
        async release() {
          await command(['EVAL', DELETE_IF_EQUAL, '1', lockKey, owner]);
        },
      };
    },
  };
}

const FIXED_WINDOW = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {count, ttl}`;

/**
 * A {@link RateLimitStore} on Redis: one counter per key and window (`INCRBY`, and `PEXPIRE` when the window
 * starts, in one Lua script), so every instance sharing the Redis counts against the same limit. Windows end by
 * expiry: nothing is ever evicted early.
 */
export function redisRateLimitStore(
  client: RedisClientLike,
  options: RedisRateLimitStoreOptions = {},
): RateLimitStore {
  const command = commandOf(client);
  const prefix = prefixOption(options.prefix, 'convert-uploader:rate:');
  return {
    async hit(key, windowMs, cost) {
      const reply = await command([
        'EVAL',
        FIXED_WINDOW,
        '1',
        `${prefix}${key}`,
        String(cost),
        String(windowMs),
      ]);
      if (!Array.isArray(reply) || reply.length !== 2) throw new Error('Unexpected answer from Redis.');
      const [count, ttl] = reply.map(Number) as [number, number];
      return { count, resetAt: Date.now() + ttl };
    },
  };
}
