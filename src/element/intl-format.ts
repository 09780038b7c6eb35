const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** Formats a byte count for people, in the given locale, in SI units: `48213` → `48.2 kB`, `33` → `33 bytes`. */
export function formatBytes(bytes: number, locale?: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

/** Formats a 0..1 fraction as a percentage in the given locale: `0.42` → `42%`. */
export function formatPercent(fraction: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}

/** "in 3 hours", "in 12 minutes" in the given locale; undefined once `at` has passed. */
export function formatTimeUntil(at: string, locale?: string, now = Date.now()): string | undefined {
  const ms = Date.parse(at) - now;
  if (!(ms > 0)) return undefined;
  const minutes = Math.ceil(ms / 60_000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  return minutes >= 90 ? format.format(Math.round(minutes / 60), 'hour') : format.format(minutes, 'minute');
}
