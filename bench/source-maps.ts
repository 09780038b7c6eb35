// Maps positions in the built CDN files back to their sources, through the source maps the build writes beside
// them (unreferenced: `sourcemap: 'hidden'`), so that a CPU profile of the minified code names source files.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';

interface RawMap {
  sourceRoot?: string;
  sources: string[];
  names?: string[];
  mappings: string;
}

/** One mapping: generated column, then source index, source line, source column and name index (if any). */
type Segment = [number, number?, number?, number?, number?];

export interface Original {
  /** The source file, shortened: `lit-html/lit-html.js`, `src/element/views/file-row.ts`. */
  source: string;
  /** 1-based line in the source. */
  line: number;
  name?: string;
}

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeSegment(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = base64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** An absolute source path, shortened: a package's file from its name on, the repository's from its root. */
function shortSource(path: string, root: string): string {
  const inPackage = /\/node_modules\/(.*)$/.exec(path);
  return inPackage?.[1] ?? relative(root, path);
}

class SourceMap {
  readonly #lines: Segment[][] = [];
  readonly #sources: string[];
  readonly #names: string[];

  /** `raw` read from `folder`; sources named relative to `root`. */
  constructor(raw: RawMap, folder: string, root: string) {
    this.#sources = raw.sources.map((source) =>
      shortSource(resolve(folder, raw.sourceRoot ?? '', source), root),
    );
    this.#names = raw.names ?? [];
    let source = 0;
    let sourceLine = 0;
    let sourceColumn = 0;
    let name = 0;
    for (const line of raw.mappings.split(';')) {
      const segments: Segment[] = [];
      let column = 0;
      for (const text of line.split(',')) {
        if (!text) continue;
        const [columnDelta = 0, sourceDelta, lineDelta = 0, columnDelta2 = 0, nameDelta] =
          decodeSegment(text);
        column += columnDelta;
        if (sourceDelta === undefined) {
          segments.push([column]);
          continue;
        }
        source += sourceDelta;
        sourceLine += lineDelta;
        sourceColumn += columnDelta2;
        if (nameDelta !== undefined) name += nameDelta;
        segments.push([column, source, sourceLine, sourceColumn, nameDelta === undefined ? undefined : name]);
      }
      this.#lines.push(segments);
    }
  }

  /**
   * The generated text of `code` cut at every mapping, each piece with the source it came from (undefined for
   * unmapped text, such as the bundler's own).
   */
  pieces(code: string): { source: string | undefined; text: string }[] {
    const pieces: { source: string | undefined; text: string }[] = [];
    code.split('\n').forEach((line, index) => {
      const segments = this.#lines[index] ?? [];
      segments.forEach((segment, at) => {
        const end = segments[at + 1]?.[0] ?? line.length;
        const source = segment[1] === undefined ? undefined : this.#sources[segment[1]];
        pieces.push({ source, text: line.slice(segment[0], end) });
      });
    });
    return pieces;
  }

  /** The source position of a 0-based generated line and column: the last mapping that starts at or before it. */
  lookup(line: number, column: number): Original | undefined {
    const segments = this.#lines[line];
    if (!segments) return undefined;
    let found: Segment | undefined;
    for (const segment of segments) {
      if (segment[0] > column) break;
      found = segment;
    }
    if (found?.[1] === undefined) return undefined;
    const source = this.#sources[found[1]] ?? '(unknown)';
    const name = found[4] === undefined ? undefined : this.#names[found[4]];
    return { source, line: (found[2] ?? 0) + 1, ...(name ? { name } : {}) };
  }
}

/**
 * The source maps of the files a page loaded from `urlPrefix` (e.g. `http://127.0.0.1:1234/cdn/`), read from
 * `folder`; sources outside a package are named relative to the working folder (the repository).
 */
export class SourceMaps {
  readonly #maps = new Map<string, SourceMap | undefined>();
  readonly #urlPrefix: string;
  readonly #folder: string;
  readonly #root = process.cwd();

  constructor(urlPrefix: string, folder: string) {
    this.#urlPrefix = urlPrefix;
    this.#folder = folder;
  }

  lookup(url: string, line: number, column: number): Original | undefined {
    if (!url.startsWith(this.#urlPrefix)) return undefined;
    const file = url.slice(this.#urlPrefix.length).replace(/[?#].*$/, '');
    if (!this.#maps.has(file)) {
      const path = join(this.#folder, `${file}.map`);
      this.#maps.set(
        file,
        existsSync(path)
          ? new SourceMap(JSON.parse(readFileSync(path, 'utf8')) as RawMap, this.#folder, this.#root)
          : undefined,
      );
    }
    return this.#maps.get(file)?.lookup(line, column);
  }
}

/**
 * What a built file holds, source by source: each source's marginal cost, the brotli size of the file's text
 * less the brotli size of that text without the source's pieces (brotli does not split by source, so the
 * costs do not add up to the file's size exactly), largest first.
 */
export function costBySource(folder: string, file: string): { source: string; bytes: number }[] {
  const mapPath = join(folder, `${file}.map`);
  if (!existsSync(mapPath)) return [];
  const map = new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8')) as RawMap, folder, process.cwd());
  const pieces = map.pieces(readFileSync(join(folder, file), 'utf8'));
  const brotli = (text: string) =>
    brotliCompressSync(Buffer.from(text), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const whole = brotli(pieces.map((piece) => piece.text).join(''));
  const sources = [...new Set(pieces.map((piece) => piece.source ?? '(unmapped)'))];
  return sources
    .map((source) => ({
      source,
      bytes:
        whole -
        brotli(
          pieces
            .filter((piece) => (piece.source ?? '(unmapped)') !== source)
            .map((piece) => piece.text)
            .join(''),
        ),
    }))
    .sort((a, b) => b.bytes - a.bytes);
}
