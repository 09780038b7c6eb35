/** `2020-12-17T05:33:53+00:00`: the API's timestamp format (seconds, explicit UTC offset). */
export function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** `2020-12-17T05:33:53+00:00` or null. */
export function isoTimestampOrNull(ms: number | null): string | null {
  return ms === null ? null : isoTimestamp(ms);
}

/** `20201217T053353Z`: the AWS signature date format. */
export function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** `20201217`: the AWS credential scope date. */
export function amzDay(ms: number): string {
  return amzDate(ms).slice(0, 8);
}

/** Milliseconds since the epoch of an `amzDate` string, or NaN. */
export function parseAmzDate(value: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return Number.NaN;
  const [, year, month, day, hour, minute, second] = match;
  return Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second));
}
