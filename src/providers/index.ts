import { ConvertError } from '../core/errors.js';
import type { Provider } from '../element/types.js';
import { ConvertApiProvider } from './convertapi.js';
import type { ProviderAdapter } from './provider.js';

export interface ProviderOptions {
  apiBase?: string;
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
