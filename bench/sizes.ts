import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { cdnSizes } from '../scripts/cdn-sizes.mjs';

export interface SizeRow {
  name: string;
  raw: number;
  gzip: number;
  brotli: number;
}

/** Raw, gzip (level 9) and brotli (quality 11) sizes of some JavaScript. */
export function measure(name: string, code: Buffer): SizeRow {
  return {
    name,
    raw: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Our CDN files, as built by `vite build --mode cdn`, as a page loads them. */
export function ourSizes(): SizeRow[] {
  const sizes = cdnSizes();
  return [
    { name: 'CDN module at start-up', ...sizes.startup },
    { name: 'CDN module with the ConvertAPI adapter', ...sizes.withConvertApi },
    { name: 'CDN module with the CloudConvert adapter', ...sizes.withCloudConvert },
    { name: 'CDN module with both providers (the budget: docs/design.md §7)', ...sizes.withBothProviders },
    { name: 'CDN module, every chunk (both adapters, all languages)', ...sizes.everything },
    { name: 'CDN IIFE (one file, everything inlined)', ...sizes.iife },
  ];
}

const peerEntries: Record<string, { packages: string[]; source: string }> = {
  'Uppy core + Dashboard + XHR upload': {
    packages: ['@uppy/core', '@uppy/dashboard', '@uppy/xhr-upload'],
    source: `import Uppy from '@uppy/core'; import Dashboard from '@uppy/dashboard'; import XHRUpload from '@uppy/xhr-upload';
export const uppy = () => new Uppy().use(Dashboard, { inline: true, target: 'body' }).use(XHRUpload, { endpoint: '/' });`,
  },
  'Uploadcare File Uploader': {
    packages: ['@uploadcare/file-uploader'],
    source: `import * as UC from '@uploadcare/file-uploader'; UC.defineComponents(UC);`,
  },
  'FilePond 4': { packages: ['filepond@4'], source: `export * from 'filepond';` },
  'Lit alone': { packages: ['lit'], source: `export * from 'lit';` },
};

/**
 * The peers, installed from npm into a scratch folder outside the repository and bundled the same
 * way as in the research notes (esbuild, minified, ESM; CSS not counted).
 */
export function peerSizes(): SizeRow[] {
  const scratch = join(tmpdir(), 'convert-uploader-bench-peers');
  mkdirSync(scratch, { recursive: true });
  if (!existsSync(join(scratch, 'package.json')))
    writeFileSync(join(scratch, 'package.json'), '{"private":true}');
  const packages = [...new Set(Object.values(peerEntries).flatMap((entry) => entry.packages))];
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...packages], {
    cwd: scratch,
    stdio: 'inherit',
  });
  const esbuild = join(process.cwd(), 'node_modules', '.bin', 'esbuild');
  return Object.entries(peerEntries).map(([name, entry], index) => {
    const entryFile = join(scratch, `entry-${index}.mjs`);
    writeFileSync(entryFile, entry.source);
    const code = execFileSync(
      esbuild,
      [entryFile, '--bundle', '--minify', '--format=esm', '--loader:.css=empty', '--log-level=error'],
      {
        cwd: scratch,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return measure(name, code);
  });
}
