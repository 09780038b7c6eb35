// One instance of a site using the server kit, run as its own Node process (`node --import tsx kit-instance.ts`)
// by the multi-instance tests: the three handlers on one loopback port, sharing Redis (token store and
// rate-limit store) with every other instance started with the same configuration. It prints
// `listening <port>` once it serves, and stops on SIGTERM.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import {
  cloudConvertJobs,
  cloudConvertOAuth,
  convertApiTokens,
  redisRateLimitStore,
  redisTokenStore,
  toNodeListener,
} from '../../../src/server/index.js';

/** What every instance of one test site shares (passed as JSON in `KIT_INSTANCE`). */
export interface KitInstanceConfig {
  redisUrl: string;
  /** Prefix of every Redis key of this site, so test runs do not meet. */
  prefix: string;
  /** Use the Redis token store without its lock (compare-and-set and re-reading alone keep connections). */
  withoutLock?: boolean;
  encryptionKey: string;
  convertapi: { base: string; secret: string; apiKey: string; rateLimitMax: number };
  cloudconvert: {
    api: string;
    oauth: string;
    apiKey: string;
    clientId: string;
    clientSecret: string;
    refreshLeeway: number;
  };
}

const config = JSON.parse(process.env['KIT_INSTANCE'] ?? '') as KitInstanceConfig;
const redis = createClient({ url: config.redisUrl });
await redis.connect();
const rateLimitStore = redisRateLimitStore(redis, { prefix: `${config.prefix}rate:` });
const tokenStore = redisTokenStore(redis, { prefix: `${config.prefix}oauth:` });
if (config.withoutLock === true) delete tokenStore.lock;

const tokens = toNodeListener(
  convertApiTokens({
    secret: config.convertapi.secret,
    apiKey: config.convertapi.apiKey,
    apiBase: config.convertapi.base,
    rateLimit: { windowMs: 60_000, max: config.convertapi.rateLimitMax },
    rateLimitStore,
  }),
);
const jobs = toNodeListener(
  cloudConvertJobs({
    apiKey: config.cloudconvert.apiKey,
    apiBase: config.cloudconvert.api,
    formats: { to: ['pdf'], from: ['txt'] },
    ticketSecret: config.encryptionKey,
    bindTickets: 'cookie',
    rateLimitStore,
  }),
);
const oauth = toNodeListener(
  cloudConvertOAuth({
    clientId: config.cloudconvert.clientId,
    clientSecret: config.cloudconvert.clientSecret,
    authorizeUrl: `${config.cloudconvert.oauth}/authorize`,
    tokenUrl: `${config.cloudconvert.oauth}/token`,
    // The callback may land on any instance: cookies do not care about ports.
    redirectUri: 'http://localhost/api/convert/oauth/callback',
    store: tokenStore,
    encryptionKey: config.encryptionKey,
    refreshLeeway: config.cloudconvert.refreshLeeway,
    rateLimit: false,
  }),
);

const server = createServer((request, response) => {
  const path = request.url ?? '/';
  if (path.startsWith('/api/convert/oauth/')) oauth(request, response);
  else if (path.startsWith('/api/convert/jobs')) jobs(request, response);
  else tokens(request, response);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});

process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  void redis.quit().finally(() => process.exit(0));
});
