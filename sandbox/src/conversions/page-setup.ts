import { PageSizes } from 'pdf-lib';
import { numberOption, stringOption } from './options.js';
import type { ConversionOptions } from './types.js';

export interface PageSetup {
  width: number;
  height: number;
  margin: number;
}

const NAMED_SIZES: Readonly<Record<string, readonly [number, number]>> = {
  a3: PageSizes.A3,
  a4: PageSizes.A4,
  a5: PageSizes.A5,
  letter: PageSizes.Letter,
  legal: PageSizes.Legal,
  tabloid: PageSizes.Tabloid,
};

/** The named page size from the options (`page_size`: a3, a4, a5, letter, legal, tabloid), if any. */
export function requestedPageSize(options: ConversionOptions): readonly [number, number] | undefined {
  const name = stringOption(options, ['page_size', 'pagesize', 'paper_size', 'papersize']);
  return name === undefined ? undefined : NAMED_SIZES[name];
}

/** The requested orientation (`page_orientation` or `orientation`), if any. */
export function requestedOrientation(options: ConversionOptions): 'portrait' | 'landscape' | undefined {
  const value = stringOption(options, ['page_orientation', 'orientation']);
  return value === 'portrait' || value === 'landscape' ? value : undefined;
}

/** Orients a size: landscape puts the longer side horizontally, portrait vertically. */
export function orient(
  [width, height]: readonly [number, number],
  orientation: 'portrait' | 'landscape' | undefined,
): [number, number] {
  if (orientation === 'landscape') return [Math.max(width, height), Math.min(width, height)];
  if (orientation === 'portrait') return [Math.min(width, height), Math.max(width, height)];
  return [width, height];
}

/**
 * Page geometry for text documents: A4 portrait unless `page_size` / `page_orientation` say
 * otherwise; `margin` in points (default 56, about 2 cm).
 */
export function textPageSetup(options: ConversionOptions): PageSetup {
  const [width, height] = orient(requestedPageSize(options) ?? PageSizes.A4, requestedOrientation(options));
  const margin =
    numberOption(options, ['margin', 'page_margin'], { min: 0, max: Math.min(width, height) / 3 }) ?? 56;
  return { width, height, margin };
}
