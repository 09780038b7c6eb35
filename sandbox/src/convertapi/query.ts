/** A query parameter looked up case-insensitively, as ConvertAPI does (`Secret` = `secret`). */
export function queryValue(url: URL, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
