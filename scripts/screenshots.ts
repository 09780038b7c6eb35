// Takes a screenshot of every state of the widget (demo/states.html) in light and dark colour
// schemes, into test/screenshots/, for reviewers. Run: `npm run screenshots`.
import { mkdir } from 'node:fs/promises';
import { launchChromium } from '../test/node/helpers/browser.js';
import { startDemoServer } from '../test/node/helpers/demo-server.js';

const states = [
  'empty',
  'drag-over',
  'uploading',
  'converting',
  'done',
  'error',
  'rejected',
  'disabled',
  'themed',
  'rtl',
];
const outputDir = 'test/screenshots';

const server = await startDemoServer();
const browser = await launchChromium();
try {
  await mkdir(outputDir, { recursive: true });
  for (const colorScheme of ['light', 'dark'] as const) {
    const page = await browser.newPage({ colorScheme, viewport: { width: 720, height: 900 } });
    await page.goto(`${server.origin}/states.html`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await page.waitForFunction(() =>
      document.querySelector('#state-uploading convert-uploader')?.shadowRoot?.querySelector('progress'),
    );
    for (const state of states) {
      await page
        .locator(`#state-${state}`)
        .screenshot({ path: `${outputDir}/${state}-${colorScheme}.png`, animations: 'disabled' });
    }
    await page.close();
  }
  console.log(`${states.length * 2} screenshots in ${outputDir}/`);
} finally {
  await browser.close();
  await server.close();
}
