import './support/lit-warnings.js';
import { expect } from '@open-wc/testing';
import { de } from '../../src/element/strings/de.js';
import { en, type UiStrings } from '../../src/element/strings/en.js';
import { es } from '../../src/element/strings/es.js';
import { fr } from '../../src/element/strings/fr.js';
import { stringsFor } from '../../src/element/strings/index.js';
import { ja } from '../../src/element/strings/ja.js';

type Entry = string | ((...args: never[]) => string) | { [key: string]: Entry };

const languages: Record<string, UiStrings> = { de, es, fr, ja };

/**
 * Entries that may read exactly as in English (key paths). Only the announcement's `name: status`
 * shape, whose words all come from its arguments, is allowed to match.
 */
const sameAsEnglish: Record<string, readonly string[]> = {
  de: ['announcePhase'],
  es: ['announcePhase'],
  fr: [],
  ja: [],
};

/** Every leaf of a strings set, by dotted key path. */
function leaves(strings: UiStrings): Map<string, Entry> {
  const found = new Map<string, Entry>();
  const walk = (value: Entry, path: string): void => {
    if (typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key);
    } else {
      found.set(path, value);
    }
  };
  walk(strings, '');
  return found;
}

function kind(value: Entry | undefined): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'object') return 'map';
  return typeof value;
}

/** The keys of every nested map, by dotted key path ('' for the top level). */
function maps(strings: UiStrings): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const walk = (value: { [key: string]: Entry }, path: string): void => {
    found.set(path, Object.keys(value).sort());
    for (const [key, child] of Object.entries(value)) {
      if (typeof child === 'object') walk(child, path ? `${path}.${key}` : key);
    }
  };
  walk(strings, '');
  return found;
}

/** Sample arguments for a function entry, in the given language. */
function samplesFor(path: string, lang: string): (string | number)[] {
  if (['filesAdded', 'startFiles', 'filesRemoved', 'failedCount'].includes(path)) return [3];
  if (path === 'summary') return [2, 3];
  if (path === 'progressOf') return ['615 kB', '1.6 MB'];
  if (path === 'timeLeft') return ['7 s'];
  if (path === 'expiresIn') return [new Intl.RelativeTimeFormat(lang).format(3, 'hour')];
  if (path === 'announcePhase') return ['report.txt', lang === 'en' ? 'Done' : `status-${lang}`];
  if (path.startsWith('rejected.')) return [path === 'rejected.too-many-files' ? '3' : '25 MB'];
  return ['report.txt'];
}

function call(entry: Entry, args: (string | number)[]): string {
  return (entry as (...values: (string | number)[]) => string)(...args);
}

const english = leaves(en);

describe('UI strings', () => {
  it('the English set has entries to compare against', () => {
    expect(english.size).to.be.greaterThan(40);
  });

  for (const [lang, strings] of Object.entries(languages)) {
    describe(lang, () => {
      const translated = leaves(strings);

      it('has every key path of English with the same kind of entry, and no others', () => {
        for (const [path, value] of english) {
          expect(kind(translated.get(path)), `${lang}: ${path}`).to.equal(kind(value));
        }
        expect(maps(strings)).to.deep.equal(maps(en));
      });

      it('takes the same number of arguments as English in every function', () => {
        for (const [path, value] of english) {
          if (typeof value !== 'function') continue;
          const fn = translated.get(path) as (...args: never[]) => string;
          expect(fn.length, `${lang}: ${path}`).to.equal(value.length);
        }
      });

      it('has no empty strings, and functions return non-empty strings', () => {
        for (const [path, value] of translated) {
          const text = typeof value === 'function' ? call(value, samplesFor(path, lang)) : value;
          expect(text, `${lang}: ${path}`).to.be.a('string');
          expect((text as string).trim(), `${lang}: ${path}`).not.to.equal('');
          expect(text, `${lang}: ${path} has no leftover placeholder`).not.to.match(/\$\{|undefined|NaN/);
        }
      });

      it('translates every entry, apart from an explicit allow-list', () => {
        const allowed = sameAsEnglish[lang] ?? [];
        for (const [path, value] of translated) {
          const original = english.get(path) as Entry;
          const mine = typeof value === 'function' ? call(value, samplesFor(path, 'en')) : value;
          const theirs = typeof original === 'function' ? call(original, samplesFor(path, 'en')) : original;
          if (allowed.includes(path)) continue;
          expect(mine, `${lang}: ${path} is still English`).not.to.equal(theirs);
        }
        for (const path of allowed) expect(english.has(path), `allow-list entry ${path}`).to.equal(true);
      });

      it('puts every argument into the sentence a function returns', () => {
        for (const [path, value] of translated) {
          if (typeof value !== 'function') continue;
          const args = samplesFor(path, lang).slice(0, value.length);
          const text = call(value, args);
          for (const arg of args) expect(text, `${lang}: ${path}`).to.include(String(arg));
        }
      });

      it('pluralises the count of added files', () => {
        const one = strings.filesAdded(1);
        const many = strings.filesAdded(3);
        expect(one).to.include('1');
        expect(many).to.include('3');
        if (lang !== 'ja') expect(many.replace('3', '1')).not.to.equal(one);
        for (const count of [0, 2, 5, 21, 100, 1000])
          expect(strings.filesAdded(count)).to.include(String(count));
      });
    });
  }

  it('reads naturally with the phrases Intl produces for each language', () => {
    const hours = (lang: string) => new Intl.RelativeTimeFormat(lang).format(3, 'hour');
    expect(de.expiresIn(hours('de'))).to.equal('Link läuft in 3 Stunden ab');
    expect(fr.expiresIn(hours('fr'))).to.equal('Le lien expire dans 3 heures');
    expect(es.expiresIn(hours('es'))).to.equal('El enlace expira dentro de 3 horas');
    expect(ja.expiresIn(hours('ja'))).to.equal('3 時間後にリンクの有効期限が切れます');
    expect(de.filesAdded(1)).to.equal('1 Datei hinzugefügt');
    expect(de.filesAdded(2)).to.equal('2 Dateien hinzugefügt');
    expect(fr.filesAdded(1)).to.equal('1 fichier ajouté');
    expect(fr.filesAdded(2)).to.equal('2 fichiers ajoutés');
    expect(es.filesAdded(1)).to.equal('1 archivo añadido');
    expect(es.filesAdded(2)).to.equal('2 archivos añadidos');
    expect(ja.filesAdded(2)).to.equal('2件のファイルを追加しました');
  });

  describe('stringsFor', () => {
    it('loads the language of a regional tag', async () => {
      expect(await stringsFor('de-CH')).to.equal(de);
      expect(await stringsFor('FR-ca')).to.equal(fr);
      expect(await stringsFor('es-419')).to.equal(es);
    });

    it('loads Japanese for ja', async () => {
      expect(await stringsFor('ja')).to.equal(ja);
    });

    it('falls back to English for unknown and empty tags', async () => {
      expect(await stringsFor('xx')).to.equal(en);
      expect(await stringsFor('')).to.equal(en);
      expect(await stringsFor('en-GB')).to.equal(en);
    });
  });
});
