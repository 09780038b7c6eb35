import CloudConvertSdk from 'cloudconvert';
import type { Sandbox } from '../../src/index.js';

/** The official SDK's client class (its package sets `module.exports` to it). */
export const CloudConvert = CloudConvertSdk;

/**
 * Points the SDK at the sandbox by rewriting, in `globalThis.fetch`, the hosts it hard-codes
 * (production and sandbox api and sync hosts) to the sandbox's URLs; the SDK itself is unchanged.
 * Returns the function that restores the original fetch.
 */
export function routeSdkToSandbox(cc: Sandbox['cloudconvert']): () => void {
  const original = globalThis.fetch;
  const rewrites: Array<[string, string]> = [
    ['https://api.cloudconvert.com/v2/', `${cc.api}/`],
    ['https://api.sandbox.cloudconvert.com/v2/', `${cc.api}/`],
    ['https://sync.api.cloudconvert.com/v2/', `${cc.sync}/`],
    ['https://sync.api.sandbox.cloudconvert.com/v2/', `${cc.sync}/`],
  ];
  globalThis.fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const rewrite = rewrites.find(([prefix]) => href.startsWith(prefix));
    if (!rewrite) return original(input, init);
    const target = rewrite[1] + href.slice(rewrite[0].length);
    return input instanceof Request ? original(new Request(target, input), init) : original(target, init);
  };
  return () => {
    globalThis.fetch = original;
  };
}
