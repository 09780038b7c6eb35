// Visual comparison of every state of the widget (demo/states.html) with the baselines in test/screenshots/:
// light and dark, left to right and right to left, at 720 and 380 px (CloudConvert: light and dark, LTR, 720 px).
// One test per screenshot. A difference, a size change or a missing baseline fails and leaves
// `<name>.actual.png` and `<name>.diff.png` in test/screenshots/.diff/. Record new baselines on purpose with
// `npm run screenshots:update`.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { launchChromium } from '../node/helpers/browser.js';
import {
  compareWithBaseline,
  openStates,
  screenshot,
  shotName,
  shotsOf,
  shotTitle,
  startStatesServer,
  variants,
} from '../node/helpers/states-page.js';

describe('visual comparison of demo/states.html with test/screenshots/', () => {
  let server: Awaited<ReturnType<typeof startStatesServer>>;
  let browser: Browser;

  before(async () => {
    server = await startStatesServer();
    browser = await launchChromium();
  });

  after(async () => {
    await browser.close();
    await server.close();
  });

  for (const variant of variants) {
    describe(`${variant.provider}, ${variant.dir}`, () => {
      let page: Page;

      before(async () => {
        page = await openStates(browser, server.origin, variant);
      });

      after(async () => {
        await page.close();
      });

      for (const shot of shotsOf(variant)) {
        it(shotTitle(shot), async () => {
          const result = compareWithBaseline(await screenshot(page, shot), shotName(shot));
          assert.ok(result.pass, result.message);
        });
      }
    });
  }
});
