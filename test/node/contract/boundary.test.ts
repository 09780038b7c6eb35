// The contract is shared by the browser element and the server kit: it imports nothing but its own
// modules, and uses no API that only one of those runtimes has.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const dir = join(import.meta.dirname, '../../../src/contract');
const modules = readdirSync(dir).filter((name) => name.endsWith('.ts'));

describe('src/contract', () => {
  it('imports only its own modules', () => {
    for (const name of modules) {
      const source = readFileSync(join(dir, name), 'utf8');
      for (const [, specifier] of source.matchAll(/\bfrom\s+'([^']+)'/g)) {
        assert.match(specifier ?? '', /^\.\/[\w-]+\.js$/, `${name} imports ${specifier}`);
      }
      assert.doesNotMatch(source, /\bimport\s*\(/, `${name} imports nothing dynamically`);
    }
  });

  it('uses no browser-only or Node-only globals', () => {
    const runtimeOnly =
      /\b(?:window|document|navigator|location|customElements|HTMLElement|File|Blob|XMLHttpRequest|process|Buffer|require|__dirname)\b/;
    for (const name of modules) {
      // Comments and string literals may name anything.
      const code = readFileSync(join(dir, name), 'utf8')
        .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
        .replace(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, "''");
      assert.doesNotMatch(code, runtimeOnly, name);
    }
  });
});
