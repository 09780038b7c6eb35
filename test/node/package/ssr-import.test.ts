// Importing the package (not `/define`) on a server must not touch the browser's globals: a fresh Node
// process, with window, document, customElements and friends replaced by accessors that throw when the
// project's own code touches them (test/node/helpers/dom-globals-trap.mjs), imports the built package
// by its name, and the sources through tsx.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { ensureBuilt } from '../helpers/build.js';

const trap = './test/node/helpers/dom-globals-trap.mjs';

interface Touch {
  name: string;
  operation: string;
  by: string;
  ours: boolean;
}

/** Runs `code` as an ES module in a fresh Node with the trap preloaded (and more `--import`s). */
function runTrapped(code: string, imports: string[] = []) {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      trap,
      ...imports.flatMap((module) => ['--import', module]),
      '--input-type=module',
      '-e',
      code,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  const line = result.stdout.split('\n').find((candidate) => candidate.startsWith('dom-globals-trap:'));
  const touches = line ? (JSON.parse(line.slice('dom-globals-trap:'.length)) as Touch[]) : [];
  const output = result.stdout
    .split('\n')
    .filter((candidate) => candidate && !candidate.startsWith('dom-globals-trap:'));
  return { status: result.status, stderr: result.stderr, touches, output };
}

/** Imports `specifier`, disarms the trap, and prints what the test needs to know about the module. */
const importAndReport = (specifier: string) => `
  const module = await import(${JSON.stringify(specifier)});
  globalThis[Symbol.for('dom-globals-trap')].disarm();
  console.log(JSON.stringify({
    exports: Object.keys(module).sort(),
    classType: typeof module.ConvertUploader,
    tagDefined: globalThis.customElements?.get?.('convert-uploader') !== undefined,
    observedAttributes: module.ConvertUploader?.observedAttributes ?? [],
  }));
`;

/**
 * What third-party code does at import, by design: Lit's server build (picked by the `node` export
 * condition) reads `document` and `HTMLElement` and installs its DOM shim's `customElements` registry when
 * there is none; jose reads `navigator` for its user agent. Anything else fails the test.
 */
const expectedThirdParty = [
  { name: 'customElements', operation: 'read', module: '@lit/reactive-element/' },
  { name: 'customElements', operation: 'write', module: '@lit/reactive-element/' },
  { name: 'HTMLElement', operation: 'read', module: '@lit/reactive-element/' },
  { name: 'document', operation: 'read', module: 'lit-html/' },
  { name: 'navigator', operation: 'read', module: 'jose/' },
];

function assertOnlyExpectedTouches(touches: Touch[]): void {
  const ours = touches.filter((touch) => touch.ours);
  assert.deepEqual(ours, [], 'the package touches no browser global at import');
  const unexpected = touches.filter(
    (touch) =>
      touch.by !== 'node' &&
      !touch.by.includes('/node_modules/tsx/') &&
      !expectedThirdParty.some(
        (expected) =>
          expected.name === touch.name &&
          expected.operation === touch.operation &&
          touch.by.includes(`/node_modules/${expected.module}`),
      ),
  );
  assert.deepEqual(unexpected, [], 'no dependency touches a browser global beyond the known ones');
}

describe('SSR-safe import', () => {
  before(async () => {
    await ensureBuilt();
  });

  it('the trap bites: code that reads document at load fails to import', () => {
    const result = runTrapped('void document.title;');
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /touched globalThis\.document \(read\) at module load/);
  });

  it("imports the built package by its name (dist/index.js) without touching the browser's globals", () => {
    const result = runTrapped(importAndReport('convert-uploader'));
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.output.at(-1) ?? '{}') as Record<string, unknown>;
    assert.deepEqual(report['exports'], ['ConvertEvents', 'ConvertUploader']);
    assert.equal(report['classType'], 'function');
    assert.equal(report['tagDefined'], false, 'importing the package registers no tag');
    assert.ok(
      (report['observedAttributes'] as string[]).includes('token-endpoint'),
      'the class is the element',
    );
    assertOnlyExpectedTouches(result.touches);
  });

  it("imports the sources (src/index.ts, through tsx) without touching the browser's globals", () => {
    const result = runTrapped(importAndReport('./src/index.ts'), ['tsx']);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.output.at(-1) ?? '{}') as Record<string, unknown>;
    assert.equal(report['classType'], 'function');
    assert.equal(report['tagDefined'], false);
    assertOnlyExpectedTouches(result.touches);
  });
});
