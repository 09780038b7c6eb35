// What `npm install convert-uploader` costs a site: the packed tarball, installed from the local file into an
// empty project, brings lit and jose and nothing else: no native code, none of the sandbox's libraries, no
// sandbox code, and at most 8 MB of node_modules. (Packages come from npm's cache when they are in it: `npm ci`
// has just put them there.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureBuilt } from '../helpers/build.js';

/** The install footprint the design allows the product package (decimal megabytes, as npm and du -si report). */
const maxInstallBytes = 8_000_000;
const sandboxLibraries = ['sharp', 'pdf-lib', 'marked', 'busboy', 'convert-uploader-sandbox'];

interface InstalledFile {
  path: string;
  size: number;
}

/** Every file under `dir`, with its size in bytes (symbolic links not followed). */
function filesUnder(dir: string): InstalledFile[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path, size: statSync(path).size };
    });
}

/** The names of the packages installed (`@scope/name` for scoped ones), nested ones included. */
function installedPackages(files: readonly InstalledFile[]): Set<string> {
  const names = new Set<string>();
  for (const { path } of files) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(path)?.[1];
    if (name) names.add(name);
  }
  return names;
}

describe('npm install convert-uploader (the packed tarball, into an empty project)', () => {
  let project: string;
  let nodeModules: string;
  let files: InstalledFile[];
  let packedFiles: string[];

  before(async () => {
    await ensureBuilt();
    project = mkdtempSync(join(tmpdir(), 'convert-uploader-install-'));
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', project], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as [{ filename: string; files: { path: string }[] }];
    packedFiles = packed.files.map((file) => file.path);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'site', private: true }));
    execFileSync(
      'npm',
      ['install', `./${packed.filename}`, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'],
      { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    nodeModules = join(project, 'node_modules');
    files = filesUnder(nodeModules);
  });

  after(() => {
    rmSync(project, { recursive: true, force: true });
  });

  it('declares lit and jose as its only runtime dependencies', () => {
    const manifest = JSON.parse(
      readFileSync(join(nodeModules, 'convert-uploader', 'package.json'), 'utf8'),
    ) as { dependencies?: Record<string, string>; optionalDependencies?: object; bin?: object };
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}).sort(), ['jose', 'lit']);
    assert.equal(manifest.optionalDependencies, undefined);
    assert.equal(manifest.bin, undefined, 'the sandbox bin belongs to convert-uploader-sandbox');
  });

  it(`installs at most ${maxInstallBytes / 1e6} MB of node_modules`, () => {
    const total = files.reduce((sum, file) => sum + file.size, 0);
    console.log(`  node_modules: ${(total / 1e6).toFixed(2)} MB in ${files.length} files`);
    assert.ok(total <= maxInstallBytes, `${total} bytes installed`);
  });

  it('installs no native code and none of the sandbox libraries', () => {
    const native = files.filter((file) => file.path.endsWith('.node')).map((file) => file.path);
    assert.deepEqual(native, [], 'no *.node files');
    const packages = installedPackages(files);
    assert.ok(packages.has('lit') && packages.has('jose'), [...packages].join(', '));
    for (const name of sandboxLibraries) assert.ok(!packages.has(name), `${name} is not installed`);
  });

  it('carries no sandbox code', () => {
    assert.deepEqual(
      packedFiles.filter((path) => /sandbox/i.test(path)),
      [],
      'no sandbox file in the tarball',
    );
    for (const path of packedFiles.filter((candidate) => candidate.endsWith('.js'))) {
      const source = readFileSync(join(nodeModules, 'convert-uploader', path), 'utf8');
      assert.doesNotMatch(source, /startSandbox|convert-uploader-sandbox/, `${path} holds no sandbox code`);
    }
  });
});
