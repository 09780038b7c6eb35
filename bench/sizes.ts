import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

/** Raw, gzip (level 9) and brotli (quality 11) sizes of one file, compressed alone. */
export function measure(name: string, code: Buffer): SizeRow {
  return {
    name,
    raw: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

export interface OurSize extends SizeRow {
  key: 'a' | 'b' | 'c' | 'all';
  /** How many files the measure sums. */
  files: number;
}

/** Our CDN files, as built by `npm run build`, each file compressed alone and summed over what a page loads. */
export function ourSizes(): OurSize[] {
  const sizes = cdnSizes();
  return [
    { key: 'a', name: '(a) CDN module + every chunk it can load, English', ...sizes.everyChunk },
    { key: 'b', name: '(b) CDN IIFE, one file', ...sizes.iife },
    { key: 'c', name: '(c) CDN module at start-up (before any file is added)', ...sizes.startup },
    { key: 'all', name: 'CDN module, every file (all languages)', ...sizes.allLanguages },
  ];
}

/** A peer, as a script-tag user loads it: the files its docs put in a page, from its npm package. */
interface Peer {
  name: string;
  /** The npm package, pinned so that runs compare. */
  package: string;
  version: string;
  /** Paths inside the package. */
  files: string[];
}

export const peers: Peer[] = [
  // README: `<script src="https://unpkg.com/filepond/dist/filepond.js">` and its stylesheet; the minified pair.
  {
    name: 'FilePond',
    package: 'filepond',
    version: '4.32.12',
    files: ['dist/filepond.min.js', 'dist/filepond.min.css'],
  },
  // README: `<script src="https://releases.transloadit.com/uppy/v6.0.1/uppy.min.js">`: every plugin in one file.
  { name: 'Uppy', package: 'uppy', version: '6.0.1', files: ['dist/uppy.min.js', 'dist/uppy.min.css'] },
  // README "From CDN": `import * as UC from '…/web/file-uploader.min.js'` and `…/web/uc-file-uploader-regular.min.css`.
  {
    name: 'Uploadcare File Uploader',
    package: '@uploadcare/file-uploader',
    version: '1.33.2',
    files: ['web/file-uploader.min.js', 'web/uc-file-uploader-regular.min.css'],
  },
];

export interface PeerSize extends SizeRow {
  version: string;
  /** Each file's own sizes, compressed alone. */
  files: ({ file: string } & Omit<SizeRow, 'name'>)[];
}

/** The folder outside the repository where the peers are installed. */
export const peerFolder = join(tmpdir(), 'convert-uploader-bench-peers');

function installedVersion(name: string): string | undefined {
  const manifest = join(peerFolder, 'node_modules', name, 'package.json');
  return existsSync(manifest)
    ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
    : undefined;
}

/**
 * The peers' shipped files, each compressed alone (as a CDN serves them) and summed per peer. The packages
 * are installed with npm into a scratch folder outside the repository, once: later runs reuse it offline.
 */
export function peerSizes(): PeerSize[] {
  mkdirSync(peerFolder, { recursive: true });
  if (!existsSync(join(peerFolder, 'package.json')))
    writeFileSync(join(peerFolder, 'package.json'), '{"private":true}');
  const missing = peers.filter((peer) => installedVersion(peer.package) !== peer.version);
  if (missing.length) {
    execFileSync(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--loglevel=error',
        ...missing.map((peer) => `${peer.package}@${peer.version}`),
      ],
      { cwd: peerFolder, stdio: 'inherit' },
    );
  }
  return peers.map((peer) => {
    const version = installedVersion(peer.package) ?? '?';
    const files = peer.files.map((file) => {
      const size = measure(file, readFileSync(join(peerFolder, 'node_modules', peer.package, file)));
      return { file, raw: size.raw, gzip: size.gzip, brotli: size.brotli };
    });
    const sum = (key: 'raw' | 'gzip' | 'brotli') => files.reduce((total, file) => total + file[key], 0);
    return { name: peer.name, version, files, raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') };
  });
}
