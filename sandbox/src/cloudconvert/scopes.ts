/** Scopes of CloudConvert API keys and OAuth grants (docs/cloudconvert.md §8). */
export const ALL_SCOPES = [
  'user.read',
  'user.write',
  'task.read',
  'task.write',
  'webhook.read',
  'webhook.write',
  'preset.read',
  'preset.write',
] as const;

export type Scope = (typeof ALL_SCOPES)[number];

/** True for a scope name CloudConvert knows. */
export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as readonly string[]).includes(value);
}

/** Splits a space-separated scope list (OAuth `scope` parameter), dropping empties. */
export function parseScopeList(value: string | null | undefined): string[] {
  return (value ?? '').split(/[\s+]+/).filter((scope) => scope !== '');
}
