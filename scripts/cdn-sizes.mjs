// Sizes of the CDN files as a CDN serves them: each file compressed on its own (brotli 11, gzip 9), summed over
// what a page fetches. A browser fetches and decompresses every chunk separately, so a figure from joined files
// would flatter many small chunks. Three measures (docs/design.md §7):
//   (a) the ES module and every chunk it can load, statically or dynamically, except other languages' strings;
//   (b) the single-file IIFE, everything inlined;
//   (c) the start-up load: the module and the chunks it imports statically (before any file is added).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = 'dist/cdn';
const entry = 'convert-uploader.js';
const iife = 'convert-uploader.iife.js';

/** Raw, gzip (level 9) and brotli (quality 11) bytes of one file. */
export function fileSize(file) {
  const code = readFileSync(join(dir, file));
  return {
    raw: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** The files' sizes, each compressed alone, summed. */
function served(files) {
  const total = { files: files.length, raw: 0, gzip: 0, brotli: 0 };
  for (const file of files) {
    const size = fileSize(file);
    total.raw += size.raw;
    total.gzip += size.gzip;
    total.brotli += size.brotli;
  }
  return total;
}

/** The chunks `file` names: static `import … from "./x.js"` and dynamic `import("./x.js")`. */
function importsOf(file) {
  const code = readFileSync(join(dir, file), 'utf8');
  const imports = { static: new Set(), dynamic: new Set() };
  for (const match of code.matchAll(
    /(?:^|[;}])\s*(?:import|export)\s*(?:[\w${},\s*]+from\s*)?["']\.\/([^"']+)["']/g,
  ))
    imports.static.add(match[1]);
  for (const match of code.matchAll(/\bimport\(\s*["'`]\.\/([^"'`]+)["'`]\s*\)/g))
    imports.dynamic.add(match[1]);
  return imports;
}

/** `file` and every chunk it reaches, through static imports only or through dynamic ones too. */
export function closure(file, { dynamic }, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const imports = importsOf(file);
  for (const next of imports.static) closure(next, { dynamic }, seen);
  if (dynamic) for (const next of imports.dynamic) closure(next, { dynamic }, seen);
  return seen;
}

/** The sources of a chunk, from its source map (the build writes maps beside the files, unreferenced). */
export function sourcesOf(file) {
  const map = join(dir, `${file}.map`);
  return existsSync(map) ? JSON.parse(readFileSync(map, 'utf8')).sources : [];
}

/** Whether `file` holds another language's strings (`src/element/strings/<lang>.ts`, not English). */
function isOtherLanguage(file) {
  const sources = sourcesOf(file);
  return sources.length > 0 && sources.every((source) => /\/strings\/(?!en\.ts)[a-z-]+\.ts$/.test(source));
}

/** Whether `file` is the chunk of a service's adapter module (`src/providers/<name>.ts`), by its source map. */
function isAdapterChunk(file, name) {
  return sourcesOf(file).some((source) => source.endsWith(`/providers/${name}.ts`));
}

/** Every size the bench and the CI gate report, each file compressed alone. */
export function cdnSizes() {
  const startup = [...closure(entry, { dynamic: false })];
  const reachable = [...closure(entry, { dynamic: true })];
  const everyChunk = reachable.filter((file) => !isOtherLanguage(file));
  const withAdapter = (name) => [
    ...new Set([
      ...startup,
      ...reachable
        .filter((file) => isAdapterChunk(file, name))
        .flatMap((file) => [...closure(file, { dynamic: false })]),
    ]),
  ];
  return {
    everyChunk: served(everyChunk),
    iife: served([iife]),
    startup: served(startup),
    withConvertApi: served(withAdapter('convertapi')),
    withCloudConvert: served(withAdapter('cloudconvert')),
    allLanguages: served(reachable),
  };
}

/** The chunks of measure (a), each with its own served size, largest first. */
export function chunksOfEveryChunk() {
  return [...closure(entry, { dynamic: true })]
    .filter((file) => !isOtherLanguage(file))
    .map((file) => ({ file, ...fileSize(file) }))
    .sort((a, b) => b.brotli - a.brotli);
}

/** Every `.js` file in dist/cdn (for checks that a measure misses none). */
export function allCdnFiles() {
  return readdirSync(dir).filter((file) => file.endsWith('.js'));
}
