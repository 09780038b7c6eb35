// Records the baselines of the visual comparison (test/e2e/visual.test.ts): every state of demo/states.html in
// every variant the test compares, written to test/screenshots/. Baselines of states or variants the test no
// longer takes are removed. Run on purpose, after checking the change: `npm run screenshots:update`.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { launchChromium } from '../test/node/helpers/browser.js';
import {
  baselineDir,
  diffDir,
  openStates,
  screenshot,
  shotName,
  shotsOf,
  startStatesServer,
  variants,
} from '../test/node/helpers/states-page.js';

const server = await startStatesServer();
const browser = await launchChromium();
const written = new Set<string>();
try {
  for (const variant of variants) {
    const page = await openStates(browser, server.origin, variant);
    for (const shot of shotsOf(variant)) {
      const name = shotName(shot);
      const path = join(baselineDir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, await screenshot(page, shot));
      written.add(name);
    }
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}

const stale = readdirSync(baselineDir, { recursive: true, encoding: 'utf8' }).filter(
  (name) => name.endsWith('.png') && !name.startsWith('.diff') && !written.has(name.split('\\').join('/')),
);
for (const name of stale) rmSync(join(baselineDir, name));
rmSync(diffDir, { recursive: true, force: true });
console.log(
  `${written.size} baselines written to ${baselineDir}/` +
    (stale.length > 0 ? `; ${stale.length} no longer taken removed: ${stale.join(', ')}` : ''),
);
