// The tests of the shipped files (script-tag pages, SSR import, example apps, package contents) need
// `dist/`: this builds it with `npm run build` when it is missing or older than its sources. A lock
// directory keeps test files that run at the same time from building over each other.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const inputs = [
  'src',
  'package.json',
  'vite.config.ts',
  'tsconfig.json',
  'tsconfig.build.json',
  'custom-elements.json',
  'scripts/framework-types.mjs',
  'scripts/drop-developer-messages.ts',
];
export const builtFiles = [
  'dist/index.js',
  'dist/define.js',
  'dist/server.js',
  'dist/cdn/convert-uploader.js',
  'dist/cdn/convert-uploader.iife.js',
  'dist/cdn/convert-uploader.de.js',
  'dist/types/index.d.ts',
  'dist/types/jsx.d.ts',
  'dist/types/react.d.ts',
  'dist/types/vue.d.ts',
];
const lockDir = join('.test-results', 'build.lock');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Whether every built file exists and is newer than every source file. */
export function isBuildFresh(): boolean {
  if (!builtFiles.every((file) => existsSync(file))) return false;
  const oldestOutput = Math.min(...builtFiles.map((file) => statSync(file).mtimeMs));
  const newestInput = Math.max(...inputs.filter((path) => existsSync(path)).map(newestMtime));
  return oldestOutput >= newestInput;
}

/** Runs `npm run build` unless `dist/` is fresh. */
export async function ensureBuilt(): Promise<void> {
  if (isBuildFresh()) return;
  mkdirSync('.test-results', { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      // Another test file is building: wait for it (a lock older than two minutes is abandoned).
      if (existsSync(lockDir) && Date.now() - statSync(lockDir).mtimeMs > 120_000)
        rmSync(lockDir, { force: true, recursive: true });
      await sleep(200);
      if (waited > 180_000) throw new Error('Timed out waiting for another test file to build dist/.');
    }
  }
  try {
    if (!isBuildFresh()) {
      execFileSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
    }
  } finally {
    rmSync(lockDir, { force: true, recursive: true });
  }
}
