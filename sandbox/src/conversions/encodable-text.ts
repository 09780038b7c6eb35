import type { PDFFont } from 'pdf-lib';

/** Readable stand-ins for common characters outside WinAnsi, the standard fonts' encoding. */
const REPLACEMENTS: Readonly<Record<string, string>> = {
  '\u2190': '<-',
  '\u2192': '->',
  '\u2194': '<->',
  '\u21d0': '<=',
  '\u21d2': '=>',
  '\u2212': '-',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2015': '-',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2260': '!=',
  '\u2248': '~',
  '\u221e': 'oo',
  '\u2032': "'",
  '\u2033': '"',
  '\u2713': 'v',
  '\u2714': 'v',
  '\u2717': 'x',
  '\u2718': 'x',
  '\u2610': '[ ]',
  '\u2611': '[x]',
  '\u2612': '[x]',
  '\u25cf': '\u2022',
  '\u25aa': '\u2022',
  '\u25e6': '\u2022',
  '\u2043': '\u2022',
  '\u2044': '/',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2009': ' ',
  '\u200a': ' ',
  '\u202f': ' ',
  '\u3000': ' ',
};
/** Invisible characters that are dropped. */
const INVISIBLE = /[\u200b-\u200f\u2028\u2029\u2060\ufeff\u00ad]/g;

const characterSets = new WeakMap<PDFFont, Set<number>>();

function characterSet(font: PDFFont): Set<number> {
  let set = characterSets.get(font);
  if (!set) {
    set = new Set(font.getCharacterSet());
    characterSets.set(font, set);
  }
  return set;
}

/**
 * Makes text drawable with the font: characters it cannot encode are replaced by a close
 * equivalent (`→` → `->`, `ő` → `o`, `ﬁ` → `fi`) or by `?`, instead of making pdf-lib throw.
 * Control characters are removed; tabs become a space.
 */
export function encodableText(text: string, font: PDFFont): string {
  const supported = characterSet(font);
  const canEncode = (value: string): boolean =>
    Array.from(value, codePoint).every((code) => supported.has(code));
  let result = '';
  for (const char of text.replace(INVISIBLE, '')) {
    const code = codePoint(char);
    if (supported.has(code)) {
      result += char;
    } else if (char === '\t') {
      result += ' ';
    } else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) {
      continue;
    } else {
      const replacement = REPLACEMENTS[char];
      const decomposed = char.normalize('NFKD').replace(/\p{M}/gu, '');
      if (replacement !== undefined && canEncode(replacement)) result += replacement;
      else if (decomposed !== '' && canEncode(decomposed)) result += decomposed;
      else result += '?';
    }
  }
  return result;
}

function codePoint(char: string): number {
  return char.codePointAt(0) ?? 0;
}
