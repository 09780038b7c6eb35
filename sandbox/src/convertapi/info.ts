import { conversionPairs, normalizeFormat } from '../conversions/index.js';
import type { SandboxResponse } from '../types.js';
import { MULTI_FILE_SOURCES } from './convert.js';

interface ConverterInfo {
  Name: string;
  Title: string;
  SourceFileFormats: string[];
  SourceExtensions: string[];
  DestinationFileFormats: string[];
  DestinationExtensions: string[];
  ConverterGroup: string;
  Alternative: boolean;
  ConverterParameterGroups: Array<{ Name: string; ConverterParameters: Array<Record<string, unknown>> }>;
}

/**
 * `GET /info…` (public, no auth; docs/convertapi.md §6): the list of converters, filtered by
 * `/info/{from}/to/{to}` with `*` on either side, one converter by name, or `/info/canconvert/…` (200/404).
 * [?] The item shape is what third-party code reads; ConvertAPI does not document it.
 */
export function handleInfo(path: string): SandboxResponse | undefined {
  const segments = path.split('/').filter(Boolean).map(decodeSegment);
  if (segments[0] !== 'info') return undefined;
  const rest = segments.slice(1);
  if (rest.length === 0) return { status: 200, body: converters() };
  const [first = '', second = ''] = rest;
  if (first.toLowerCase() === 'converter' && rest.length === 2) {
    const found = converters().find((converter) => converter.Name.toLowerCase() === second.toLowerCase());
    return found ? { status: 200, body: found } : { status: 404 };
  }
  const canConvert = first.toLowerCase() === 'canconvert';
  const pair = canConvert ? rest.slice(1) : rest;
  const [from = '', to = '', target = ''] = pair;
  if (pair.length !== 3 || to.toLowerCase() !== 'to') return undefined;
  const matching = converters(from, target);
  if (canConvert) return matching.length > 0 ? { status: 200, body: matching[0] } : { status: 404 };
  return matching.length > 0 ? { status: 200, body: matching } : { status: 404 };
}

function converters(from = '*', to = '*'): ConverterInfo[] {
  return conversionPairs()
    .filter(
      (pair) =>
        (from === '*' || pair.from === normalizeFormat(from)) &&
        (to === '*' || pair.to === normalizeFormat(to)),
    )
    .map(({ from: source, to: target }) => converterInfo(source, target));
}

function converterInfo(from: string, to: string): ConverterInfo {
  const multi = MULTI_FILE_SOURCES.has(from);
  return {
    Name: `${capitalize(from)}To${capitalize(to)}`,
    Title: `${from.toUpperCase()} to ${to.toUpperCase()}`,
    SourceFileFormats: [from],
    SourceExtensions: from === 'jpg' ? ['jpg', 'jpeg'] : [from],
    DestinationFileFormats: [to],
    DestinationExtensions: [to],
    ConverterGroup: MULTI_FILE_SOURCES.has(from) ? 'Image' : 'Document',
    Alternative: false,
    ConverterParameterGroups: [
      {
        Name: 'Input',
        ConverterParameters: [
          parameter(multi ? 'Files' : 'File', 'File', { Required: true, Array: multi }),
          parameter('StoreFile', 'Bool', { Default: false }),
          parameter('FileName', 'String', {}),
          parameter('Timeout', 'Integer', { Default: 900, Values: { Min: 10, Max: 1200 } }),
        ],
      },
    ],
  };
}

function parameter(name: string, type: string, extra: Record<string, unknown>): Record<string, unknown> {
  return { Name: name, Label: name, Description: '', Type: type, Required: false, Array: false, ...extra };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function capitalize(format: string): string {
  return format.charAt(0).toUpperCase() + format.slice(1);
}
