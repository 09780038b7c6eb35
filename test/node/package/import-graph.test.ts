// The product's modules form no import cycle (type-only and dynamic imports count: a cycle of types still
// means two modules own each other), and the element's class file stays thin.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';

const sourceRoot = 'src';

function sourceFiles(): string[] {
  return readdirSync(sourceRoot, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The source files `file` imports (static, dynamic, type-only and re-exports), relative specifiers only. */
function importsOf(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const specifiers = [
    ...code.matchAll(/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g),
    ...code.matchAll(/\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g),
    ...code.matchAll(/^\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/gm),
  ].map((match) => match[1] ?? '');
  return specifiers
    .map((specifier) => join(dirname(file), specifier).replace(/\.js$/, '.ts'))
    .filter((target) => existsSync(target));
}

/** Every cycle found by a depth-first walk, each as the list of files around it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe('the import graph of src/', () => {
  it('has no cycle', () => {
    const files = sourceFiles();
    const graph = new Map(files.map((file) => [file, importsOf(file)]));
    assert.ok(
      files.length > 50 && [...graph.values()].some((targets) => targets.length > 0),
      'the graph is read',
    );
    const found = cycles(graph).map((cycle) => cycle.map((file) => relative(sourceRoot, file)).join(' → '));
    assert.deepEqual(found, []);
  });

  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    assert.deepEqual(cycles(graph), [['a', 'b', 'c', 'a']]);
  });

  it('keeps the element class file at 300 lines or fewer', () => {
    const lines = readFileSync(join(sourceRoot, 'element', 'convert-uploader.ts'), 'utf8')
      .trimEnd()
      .split('\n').length;
    assert.ok(lines <= 300, `${lines} lines`);
  });
});
