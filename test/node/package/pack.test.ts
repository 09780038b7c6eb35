// What `npm pack` would publish: only what users need (the built files, their types, the manifest, the
// README), every entry point of package.json inside it, every relative import of a packed file resolving to
// another packed file, and no reference to a source map (maps are not shipped: see vite.config.ts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureBuilt } from '../helpers/build.js';

interface PackedFile {
  path: string;
  size: number;
}

const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as {
  main: string;
  module: string;
  types: string;
  unpkg: string;
  jsdelivr: string;
  customElements: string;
  exports: Record<string, string | Record<string, string>>;
};

/** `./dist/x.js` → `dist/x.js` */
const packagePath = (target: string) => posix.normalize(target);

describe('npm pack', () => {
  let files: Map<string, PackedFile>;

  before(async () => {
    await ensureBuilt();
    const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const [report] = JSON.parse(output) as [{ files: PackedFile[] }];
    files = new Map(report.files.map((file) => [file.path, file]));
  });

  it('holds only the built files, their types, the manifest, the README and package.json', () => {
    const unexpected = [...files.keys()].filter(
      (path) =>
        ![
          'package.json',
          'README.md',
          'LICENSE',
          'custom-elements.json',
          'dist/cdn/THIRD-PARTY-LICENSES.txt',
        ].includes(path) && !/^dist\/(?:[\w-]+\.js|cdn\/[\w.-]+\.js|types\/[\w/.-]+\.d\.ts)$/.test(path),
    );
    assert.deepEqual(unexpected, [], 'no tests, demo, sources, maps or stray files');
  });

  it('holds every entry point package.json names', () => {
    const targets = [
      packageJson.main,
      packageJson.module,
      packageJson.types,
      packageJson.unpkg,
      packageJson.jsdelivr,
      packageJson.customElements,
      ...Object.values(packageJson.exports).flatMap((entry) =>
        typeof entry === 'string' ? [entry] : Object.values(entry),
      ),
    ];
    for (const target of targets) assert.ok(files.has(packagePath(target)), `${target} is packed`);
    for (const [subpath, entry] of Object.entries(packageJson.exports)) {
      if (typeof entry === 'string' || subpath === './package.json') continue;
      assert.ok(entry['types'], `${subpath} has types`);
      assert.equal(Object.keys(entry)[0], 'types', `${subpath}: types come first`);
    }
  });

  it('resolves every relative import of a packed file to a packed file, and names no source map', () => {
    for (const path of files.keys()) {
      if (!path.endsWith('.js') && !path.endsWith('.d.ts')) continue;
      const source = readFileSync(path, 'utf8');
      assert.doesNotMatch(source, /sourceMappingURL=/, `${path} refers to no source map`);
      const specifiers = [
        ...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)(["'`])(\.{1,2}\/[^"'`]+)\1/g),
      ].map((match) => match[2] ?? '');
      for (const specifier of specifiers) {
        let target = posix.join(posix.dirname(path), specifier);
        if (path.endsWith('.d.ts')) target = target.replace(/\.js$/, '.d.ts');
        assert.ok(files.has(target), `${path} imports ${specifier}, which is packed`);
      }
    }
  });
});
