import { en, type UiStrings } from './en.js';

/** Languages with built-in strings; others fall back to English. Each is its own lazily loaded module. */
const loaders: Record<string, () => Promise<UiStrings>> = {
  de: () => import('./de.js').then((module) => module.de),
  es: () => import('./es.js').then((module) => module.es),
  fr: () => import('./fr.js').then((module) => module.fr),
  ja: () => import('./ja.js').then((module) => module.ja),
};

/** The built-in strings for a BCP 47 language tag (`de-CH` → German), English when there are none. */
export async function stringsFor(lang: string): Promise<UiStrings> {
  const primary = lang.toLowerCase().split('-')[0] ?? '';
  const load = loaders[primary];
  if (!load) return en;
  try {
    return await load();
  } catch {
    return en;
  }
}
