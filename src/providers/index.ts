import type { Provider } from '../element/types.js';
import { CloudConvertProvider } from './cloudconvert.js';
import { ConvertApiProvider } from './convertapi.js';
import type { ProviderAdapter } from './provider.js';

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

/** The adapter for a service. */
export function createProvider(provider: Provider, options: ProviderOptions = {}): ProviderAdapter {
  switch (provider) {
    case 'convertapi':
      return new ConvertApiProvider(options.apiBase);
    case 'cloudconvert':
      return new CloudConvertProvider(options);
  }
}
