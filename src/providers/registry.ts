import type { CredentialParser } from '../engine/credential-guard.js';
import { ConvertError } from '../engine/errors.js';
import { parseCloudConvertCredential } from './cloudconvert-credential.js';
import { parseConvertApiCredential } from './convertapi-credential.js';
import type { Provider } from '../engine/types.js';
import type { FileConversion, ConversionResult, ProviderAdapter } from '../engine/provider-port.js';

export interface ProviderOptions {
  /** Base URL of the service's API; each provider has its own default. */
  apiBase?: string;
  /** CloudConvert: the wait host; when given, each file's export task is awaited there instead of polling the job. */
  syncBase?: string;
  /** CloudConvert: use its sandbox hosts. */
  sandbox?: boolean;
  /**
   * CloudConvert server-job mode: the credentials mode of the host's status route (default
   * `same-origin`); it is served beside the token endpoint, so pass the token endpoint's mode.
   */
  statusCredentials?: RequestCredentials;
}

/** Each service's half of the credential guard: small, and needed before its adapter has loaded. */
export const credentialParsers: Record<Provider, CredentialParser> = {
  convertapi: parseConvertApiCredential,
  cloudconvert: parseCloudConvertCredential,
};

/** Each service's adapter is its own module, loaded when a page first converts with it. */
const loaders: Record<Provider, (options: ProviderOptions) => Promise<ProviderAdapter>> = {
  convertapi: async (options) => new (await import('./convertapi.js')).ConvertApiProvider(options.apiBase),
  cloudconvert: async (options) => new (await import('./cloudconvert.js')).CloudConvertProvider(options),
};

/** A provider whose module is loaded on first use; a page that converts with one never loads the other. */
class LazyProvider implements ProviderAdapter {
  readonly #load: () => Promise<ProviderAdapter>;
  #adapter: Promise<ProviderAdapter> | undefined;

  constructor(load: () => Promise<ProviderAdapter>) {
    this.#load = load;
  }

  async convert(job: FileConversion): Promise<ConversionResult[]> {
    return (await this.#loaded()).convert(job);
  }

  async targets(from: string, signal?: AbortSignal): Promise<readonly string[] | undefined> {
    return (await this.#loaded()).targets?.(from, signal);
  }

  #loaded(): Promise<ProviderAdapter> {
    this.#adapter ??= this.#load().catch((error: unknown) => {
      this.#adapter = undefined;
      if (error instanceof ConvertError) throw error;
      throw new ConvertError('network', 'The conversion code could not be loaded.', { cause: error });
    });
    return this.#adapter;
  }
}

/** The adapter for a service. */
export function createProvider(provider: Provider, options: ProviderOptions = {}): ProviderAdapter {
  return new LazyProvider(() => loaders[provider](options));
}
