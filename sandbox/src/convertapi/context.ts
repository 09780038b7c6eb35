import type { Conversions } from '../conversions/index.js';
import type { FileStore } from '../file-store.js';
import type { ConvertApiAccount } from './account.js';
import type { AsyncJobs } from './async-jobs.js';
import type { JwtUsage } from './jwt.js';
import type { TokenStore } from './tokens.js';

/** Everything the ConvertAPI routes share. */
export interface ConvertApiContext {
  /** Public base URL of the emulated host, e.g. `http://127.0.0.1:8787/convertapi`. */
  base: string;
  store: FileStore;
  /** What the running sandbox can convert (its engines decide). */
  conversions: Conversions;
  account: ConvertApiAccount;
  tokens: TokenStore;
  jwtUsage: JwtUsage;
  jobs: AsyncJobs;
}
