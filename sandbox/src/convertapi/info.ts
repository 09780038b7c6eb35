import type { Conversions } from '../conversions/index.js';
import { normalizeFormat } from '../conversions/formats.js';
import type { SandboxResponse } from '../types.js';
import { listConverters, type ConverterSpec } from './converters.js';

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
 * It lists exactly what the running sandbox can do, so it follows the engines found at start.
 * [?] The item shape is what third-party code reads; ConvertAPI does not document it.
 */
export function handleInfo(path: string, conversions: Conversions): SandboxResponse | undefined {
  const segments = path.split('/').filter(Boolean).map(decodeSegment);
  if (segments[0] !== 'info') return undefined;
  const rest = segments.slice(1);
  const all = listConverters(conversions);
  if (rest.length === 0) return { status: 200, body: all.map(converterInfo) };
  const [first = '', second = ''] = rest;
  if (first.toLowerCase() === 'converter' && rest.length === 2) {
    const found = all.map(converterInfo).find((info) => info.Name.toLowerCase() === second.toLowerCase());
    return found ? { status: 200, body: found } : { status: 404 };
  }
  const canConvert = first.toLowerCase() === 'canconvert';
  const pair = canConvert ? rest.slice(1) : rest;
  const [from = '', to = '', target = ''] = pair;
  if (pair.length !== 3 || to.toLowerCase() !== 'to') return undefined;
  const matching = all.filter((converter) => matches(converter.from, from) && matches(converter.to, target));
  const [firstMatch] = matching;
  if (!firstMatch) return { status: 404 };
  return { status: 200, body: canConvert ? converterInfo(firstMatch) : matching.map(converterInfo) };
}

function matches(format: string, wanted: string): boolean {
  return wanted === '*' || format === normalizeFormat(wanted);
}

function converterInfo(converter: ConverterSpec): ConverterInfo {
  const { from, to } = converter;
  const fileParameter =
    converter.input === 'url'
      ? parameter('Url', 'String', { Required: true })
      : converter.input === 'file'
        ? parameter('File', 'File', { Required: true })
        : parameter('Files', 'File', { Required: true, Array: true });
  return {
    Name: `${capitalize(from)}To${capitalize(to)}`,
    Title: `${from.toUpperCase()} to ${to.toUpperCase()}`,
    SourceFileFormats: [from],
    SourceExtensions: from === 'jpg' ? ['jpg', 'jpeg'] : [from],
    DestinationFileFormats: [converter.kind === 'format' ? to : converter.kind === 'zip' ? 'zip' : 'pdf'],
    DestinationExtensions: [converter.kind === 'format' ? to : converter.kind === 'zip' ? 'zip' : 'pdf'],
    ConverterGroup: converter.group,
    Alternative: false,
    ConverterParameterGroups: [
      {
        Name: 'Input',
        ConverterParameters: [
          fileParameter,
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
