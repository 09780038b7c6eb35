// `vite build` of the product must not load the sandbox (nor its native image library): the demo backend is
// loaded only by the dev server. A fresh Node process records every module it resolves while Vite loads
// vite.config.ts for a build, and the list must hold none of the sandbox's.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const sandboxModules =
  /convert-uploader-sandbox|\/sandbox\/src\/|\/node_modules\/(?:sharp|pdf-lib|busboy|marked)\//;

/** A resolve hook that posts each resolved URL back to the main thread. */
const recordingHook = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}`;

/** The modules Node resolves while Vite loads `configFile` for `vite build`. */
function modulesLoadedBy(configFile: string): string[] {
  // The script sits inside the repository so that it resolves `vite` from its node_modules.
  const dir = resolve('.test-results', 'build-config');
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'load-config.mjs');
  writeFileSync(
    script,
    `import { register } from 'node:module';
const { port1, port2 } = new MessageChannel();
const resolved = [];
port1.on('message', (url) => resolved.push(url));
port1.unref();
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(recordingHook)}), {
  data: { port: port2 },
  transferList: [port2],
});
const { loadConfigFromFile } = await import('vite');
await loadConfigFromFile({ command: 'build', mode: 'production' }, ${JSON.stringify(configFile)}, undefined, 'silent');
await new Promise((done) => setTimeout(done, 200));
console.log(JSON.stringify(resolved));
`,
  );
  const result = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  const lastLine = result.stdout.trim().split('\n').at(-1) ?? '[]';
  return JSON.parse(lastLine) as string[];
}

describe('vite build', () => {
  it('loads no sandbox module, and the probe sees one when a config imports it', () => {
    const loaded = modulesLoadedBy(resolve('vite.config.ts'));
    assert.ok(
      loaded.some((url) => url.includes('/node_modules/vite/')),
      'the probe records modules',
    );
    assert.deepEqual(
      loaded.filter((url) => sandboxModules.test(url)),
      [],
    );

    // The probe's own check: a config that imports the sandbox at its top, as vite.config.ts once did.
    const dir = resolve('.test-results', 'build-config');
    const badConfig = join(dir, 'imports-sandbox.config.mjs');
    writeFileSync(badConfig, `import 'convert-uploader-sandbox';\nexport default {};\n`);
    assert.ok(
      modulesLoadedBy(badConfig).some((url) => sandboxModules.test(url)),
      'the probe catches it',
    );
  });
});
