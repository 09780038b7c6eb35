/** The media type of a Content-Type or Accept entry, lower-cased, without parameters. */
export function mediaType(value: string | undefined): string {
  return (value ?? '').split(';', 1).join('').trim().toLowerCase();
}

/** A header's value as one string (repeated headers joined with commas, as HTTP allows). */
export function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
