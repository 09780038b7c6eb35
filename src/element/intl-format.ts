const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/**
 * Formatters are made once per locale and style: making one costs far more than using it (a list of 1,000
 * files spent most of its longest task making number formatters).
 */
const formatters = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale ?? ''} ${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) formatters.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}

/** Formats a byte count for people, in the given locale, in SI units: `48213` → `48.2 kB`, `33` → `33 bytes`. */
export function formatBytes(bytes: number, locale?: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return numberFormat(locale, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

/** Formats a 0..1 fraction as a percentage in the given locale: `0.42` → `42%`. */
export function formatPercent(fraction: number, locale?: string): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}

/** "in 3 hours", "in 12 minutes" in the given locale; undefined once `at` has passed. */
export function formatTimeUntil(at: string, locale?: string, now = Date.now()): string | undefined {
  const ms = Date.parse(at) - now;
  if (!(ms > 0)) return undefined;
  const minutes = Math.ceil(ms / 60_000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  return minutes >= 90 ? format.format(Math.round(minutes / 60), 'hour') : format.format(minutes, 'minute');
}

/** A short duration for "… left": `7 s`, `3 min`, `2 hr` in the given locale. */
export function formatDuration(seconds: number, locale?: string): string {
  const [value, unit] =
    seconds < 90 ? [seconds, 'second'] : seconds < 5400 ? [seconds / 60, 'minute'] : [seconds / 3600, 'hour'];
  return numberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 0 }).format(
    value,
  );
}
