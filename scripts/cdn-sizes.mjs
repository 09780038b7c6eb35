// Sizes of the CDN files as a page loads them: `<script type="module" src=".../convert-uploader.js">`
// loads the module and the chunks it imports statically at start; each service's adapter and each
// language but English are loaded later, when needed. The IIFE is one file with everything inlined.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = 'dist/cdn';

function sizes(files) {
  const code = Buffer.concat(files.map((file) => readFileSync(join(dir, file))));
  return {
    files: files.length,
    raw: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** The file and every chunk it imports statically, transitively (names relative to dist/cdn). */
export function staticClosure(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(join(dir, file), 'utf8');
  for (const match of code.matchAll(/(?:^|[;}])\s*import\s*(?:[\w${},\s*]+from\s*)?["']\.\/([^"']+)["']/g)) {
    staticClosure(match[1], seen);
  }
  return seen;
}

/** Whether `file` is the chunk of a service's adapter module (`src/providers/<name>.ts`), by its source map. */
function isAdapterChunk(file, name) {
  const map = JSON.parse(readFileSync(join(dir, `${file}.map`), 'utf8'));
  return map.sources.some((source) => source.endsWith(`/providers/${name}.ts`));
}

/** Raw, gzip (level 9) and brotli (quality 11) sizes of what a page loads, by situation. */
export function cdnSizes() {
  const startup = [...staticClosure('convert-uploader.js')];
  const chunks = readdirSync(dir).filter((file) => file.endsWith('.js') && !file.includes('.iife.'));
  const withAdapters = (...names) => [
    ...new Set([
      ...startup,
      ...chunks
        .filter((file) => names.some((name) => isAdapterChunk(file, name)))
        .flatMap((file) => [...staticClosure(file)]),
    ]),
  ];
  return {
    startup: sizes(startup),
    withConvertApi: sizes(withAdapters('convertapi')),
    withCloudConvert: sizes(withAdapters('cloudconvert')),
    // The budget's measure (docs/design.md §7): both providers and Lit; only rarely used chunks left out.
    withBothProviders: sizes(withAdapters('convertapi', 'cloudconvert')),
    everything: sizes(chunks),
    iife: sizes(['convert-uploader.iife.js']),
  };
}
