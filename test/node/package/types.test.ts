// The shipped declaration files, as a consumer's strict TypeScript sees them with skipLibCheck off:
// every entry point (`convert-uploader`, `/define`, `/server`, `/jsx`, `/react`, `/vue`)
// resolves through the exports map to dist/types, and the files type-check.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';
import { ensureBuilt } from '../helpers/build.js';

const entryPoints = [
  'convert-uploader',
  'convert-uploader/define',
  'convert-uploader/server',
  'convert-uploader/jsx',
  'convert-uploader/react',
  'convert-uploader/vue',
];

/**
 * Errors the shipped types have today, each with its fix: the test expects exactly these, so it fails both
 * on a new error and when one is fixed (then delete its line here).
 */
const knownErrors: string[] = [];

describe('shipped declaration files', () => {
  // Inside the package, so that the consumer's `convert-uploader/…` imports resolve to it by name.
  const dir = resolve('.test-results', 'types-consumer');
  let program: ts.Program;

  before(async () => {
    await ensureBuilt();
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'consumer.ts'),
      `${entryPoints.map((entry, index) => `import type * as entry${index} from '${entry}';`).join('\n')}
export type Entries = [${entryPoints.map((_entry, index) => `typeof entry${index}`).join(', ')}];
`,
    );
    program = ts.createProgram([join(dir, 'consumer.ts')], {
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      types: ['node'],
    });
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('resolves every entry point to dist/types through the exports map', () => {
    const consumer = program.getSourceFile(join(dir, 'consumer.ts'));
    assert.ok(consumer);
    for (const entry of entryPoints) {
      const resolved = ts.resolveModuleName(
        entry,
        consumer.fileName,
        program.getCompilerOptions(),
        ts.sys,
        undefined,
        undefined,
        ts.ModuleKind.ESNext,
      ).resolvedModule;
      assert.ok(resolved, `${entry} resolves`);
      assert.match(resolved.resolvedFileName.replaceAll('\\', '/'), /\/dist\/types\/[\w/-]+\.d\.ts$/, entry);
    }
  });

  it('type-check under strict settings without skipLibCheck (no errors but the known ones)', () => {
    const root = `${resolve('.')}/`;
    const errors = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error)
      .map(
        (diagnostic) =>
          `${diagnostic.file?.fileName.replace(root, '') ?? '(global)'} TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`,
      );
    assert.deepEqual([...new Set(errors)].sort(), [...knownErrors].sort());
  });
});
