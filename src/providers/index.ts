import { ConvertError } from '../core/errors.js';
import type { Provider } from '../element/types.js';
import { ConvertApiProvider } from './convertapi.js';
import type { ProviderAdapter } from './provider.js';

export interface ProviderOptions {
  /** Base URL of the service's API; each provider has its own default. */
  apiBase?: string;
  /** CloudConvert: the wait host; when given, jobs are awaited there instead of polled. */
  syncBase?: string;
  /** CloudConvert: use its sandbox hosts. */
  sandbox?: boolean;
}

/** The adapter for a service. */
export function createProvider(provider: Provider, options: ProviderOptions = {}): ProviderAdapter {
  switch (provider) {
    case 'convertapi':
      return new ConvertApiProvider(options.apiBase);
    case 'cloudconvert':
      return {
        convert: () =>
          Promise.reject(
            new ConvertError('conversion-unsupported', 'This version converts with ConvertAPI only.', {
              retryable: false,
            }),
          ),
      };
  }
}
