import type { ConversionOptions } from './types.js';

/**
 * Looks an option up by any of its names, ignoring case, `_` and `-`
 * (so `ImageQuality`, `image_quality` and `imagequality` are the same option).
 */
export function optionValue(options: ConversionOptions, ...names: string[]): unknown {
  const wanted = new Set(names.map(simplify));
  for (const [key, value] of Object.entries(options)) {
    if (wanted.has(simplify(key)) && value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

/** A numeric option (numbers or numeric strings), clamped to the range; `undefined` when absent or not a number. */
export function numberOption(
  options: ConversionOptions,
  names: string[],
  range: { min: number; max: number },
): number | undefined {
  const raw = optionValue(options, ...names);
  const value = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  return Math.min(range.max, Math.max(range.min, value));
}

/** A string option, lower-cased; `undefined` when absent. */
export function stringOption(options: ConversionOptions, names: string[]): string | undefined {
  const raw = optionValue(options, ...names);
  return typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
}

function simplify(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}
