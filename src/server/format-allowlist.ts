import { FORMAT_PATTERN } from '../contract/file-name.js';
import { ConfigurationError } from './errors.js';

/**
 * Which conversions a handler grants: a list of output formats (`['pdf', 'png']`), or output formats plus the
 * input formats they may be made from (`{ to: ['pdf'], from: ['docx', 'md'] }`). Formats are extensions, any case.
 */
export type FormatAllowlist =
  readonly string[] | { readonly to: readonly string[]; readonly from?: readonly string[] };

/** A validated {@link FormatAllowlist}, lower-cased. */
export interface AllowedFormats {
  readonly to: ReadonlySet<string>;
  readonly from?: ReadonlySet<string>;
}

/** Validates a {@link FormatAllowlist} option; `undefined` when absent and not `required`. */
export function parseFormatAllowlist(
  value: unknown,
  option: string,
  required: boolean,
): AllowedFormats | undefined {
  if (value === undefined && !required) return undefined;
  const spec: unknown = Array.isArray(value) ? { to: value as unknown } : value;
  if (typeof spec !== 'object' || spec === null) {
    throw new ConfigurationError(
      `The option "${option}" is required: list the output formats this endpoint grants.`,
    );
  }
  const { to: outputs, from: inputs } = spec as { to?: unknown; from?: unknown };
  const to = formatSet(outputs, `${option}.to`);
  if (to === undefined || to.size === 0) {
    throw new ConfigurationError(`The option "${option}" needs at least one output format.`);
  }
  const from = formatSet(inputs, `${option}.from`);
  return from === undefined ? { to } : { to, from };
}

function formatSet(value: unknown, option: string): Set<string> | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value))
    throw new ConfigurationError(`The option "${option}" must be an array of formats.`);
  return new Set(
    value.map((format: unknown) => {
      const normalized = typeof format === 'string' ? format.trim().toLowerCase() : '';
      if (!FORMAT_PATTERN.test(normalized)) {
        throw new ConfigurationError(`The option "${option}" contains something that is not a format name.`);
      }
      return normalized;
    }),
  );
}
