// Accessibility of every state of the widget (demo/states.html), for both providers: axe-core (which looks
// inside shadow roots) in light, dark, forced colours and right to left; a visible focus indicator on every
// control reached with Tab, in light and in forced colours; and a live region that never reads out percentages
// while a file uploads.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { Browser, ElementHandle, Page } from 'playwright';
import { launchChromium } from '../node/helpers/browser.js';
import {
  gotoStates,
  openStates,
  settle,
  startStatesServer,
  states,
  type Provider,
  type State,
} from '../node/helpers/states-page.js';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: AxeNode[];
}

/** Runs axe-core on the whole page (shadow roots included) and returns its violations, one line each. */
async function axeViolations(page: Page): Promise<string[]> {
  await settle(page);
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> };
    };
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations.flatMap((violation) =>
    violation.nodes.map(
      (node) =>
        `${violation.id} (${violation.impact ?? 'no impact'}): ${violation.help}, at ${JSON.stringify(node.target)}` +
        (node.failureSummary ? `: ${node.failureSummary.replace(/\s+/g, ' ')}` : ''),
    ),
  );
}

// Plain script (not compiled by the test's TypeScript loader): the focused element through shadow roots.
const focusHelpers = `
window.__deepActive = function () {
  var active = document.activeElement;
  while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
  return active;
};`;

interface FocusStyle {
  outlineStyle: string;
  outlineWidth: string;
  outlineColor: string;
  boxShadow: string;
}

function styleOf(handle: ElementHandle<Element>): Promise<FocusStyle> {
  return handle.evaluate((element) => {
    const style = getComputedStyle(element);
    return {
      outlineStyle: style.outlineStyle,
      outlineWidth: style.outlineWidth,
      outlineColor: style.outlineColor,
      boxShadow: style.boxShadow,
    };
  });
}

const transparent = (color: string) => color === 'transparent' || /rgba\(.*,\s*0\)$/.test(color);

/** Why this focused style shows no indicator that the unfocused one lacks; undefined when it does show one. */
function missingIndicator(focused: FocusStyle, unfocused: FocusStyle): string | undefined {
  const outline =
    focused.outlineStyle !== 'none' &&
    parseFloat(focused.outlineWidth) > 0 &&
    !transparent(focused.outlineColor) &&
    (focused.outlineStyle !== unfocused.outlineStyle ||
      focused.outlineWidth !== unfocused.outlineWidth ||
      focused.outlineColor !== unfocused.outlineColor);
  const shadow = focused.boxShadow !== 'none' && focused.boxShadow !== unfocused.boxShadow;
  if (outline || shadow) return undefined;
  return `focused ${JSON.stringify(focused)}, unfocused ${JSON.stringify(unfocused)}`;
}

/**
 * Tabs through one state's widget, from its heading to the first element outside it, and returns each control
 * reached with what is wrong with its focus indicator (or undefined).
 */
async function tabThrough(page: Page, state: State): Promise<Array<{ control: string; problem?: string }>> {
  await page.evaluate((id) => {
    const heading = document.querySelector<HTMLElement>(`#state-${id} h2`);
    if (!heading) throw new Error(`no heading in #state-${id}`);
    heading.tabIndex = -1;
    heading.focus();
  }, state);
  const reached: Array<{ control: string; handle: ElementHandle<Element>; focused: FocusStyle }> = [];
  for (let step = 0; step < 40; step += 1) {
    await page.keyboard.press('Tab');
    const handle = await page.evaluateHandle(
      () => (window as unknown as { __deepActive(): Element | null }).__deepActive() ?? document.body,
    );
    const where = await handle.evaluate((element, id) => {
      const root = element.getRootNode();
      const host = root instanceof ShadowRoot ? root.host : element;
      const label =
        element.getAttribute('aria-label') ?? element.textContent.trim().replace(/\s+/g, ' ').slice(0, 40);
      return {
        inside: host.closest(`#state-${id}`) !== null && host !== element,
        control: `<${element.localName}${element.getAttribute('part') ? ` part="${element.getAttribute('part')}"` : ''}> "${label}"`,
      };
    }, state);
    if (!where.inside) break;
    reached.push({ control: where.control, handle, focused: await styleOf(handle) });
  }
  // Focus has left the widget: every control it reached is now unfocused.
  return Promise.all(
    reached.map(async ({ control, handle, focused }) => {
      const problem = missingIndicator(focused, await styleOf(handle));
      return problem === undefined ? { control } : { control, problem };
    }),
  );
}

async function checkFocus(page: Page): Promise<void> {
  await page.addScriptTag({ content: focusHelpers });
  const problems: string[] = [];
  for (const state of states) {
    const controls = await tabThrough(page, state);
    if (state === 'disabled') {
      if (controls.length > 0) {
        problems.push(`disabled: focus reached ${controls.map(({ control }) => control).join(', ')}`);
      }
      continue;
    }
    if (controls.length === 0) problems.push(`${state}: Tab reached no control in the widget`);
    for (const { control, problem } of controls) {
      if (problem) problems.push(`${state}: ${control} shows no focus indicator (${problem})`);
    }
  }
  assert.deepEqual(problems, []);
}

// Records, from the first script on, what the uploading widget's live region says and the upload progress it
// reports, so the check covers the whole upload, not only what is on screen when the test looks.
const liveRegionRecorder = `
window.__uploading = { live: [], progress: [], statuses: [] };
var attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  var root = attach.call(this, init);
  var host = this;
  new MutationObserver(function () {
    if (!host.closest || !host.closest('#state-uploading')) return;
    var region = root.querySelector('[role="status"][aria-live]');
    var record = window.__uploading;
    if (!region) return;
    var text = region.textContent.trim();
    if (record.live[record.live.length - 1] !== text) record.live.push(text);
    var status = host.items && host.items[0] ? host.items[0].status : 'none';
    if (record.statuses[record.statuses.length - 1] !== status) record.statuses.push(status);
  }).observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  return root;
};
addEventListener('convert-progress', function (event) {
  if (event.target.closest && event.target.closest('#state-uploading') && event.detail.phase === 'upload')
    window.__uploading.progress.push(event.detail.progress);
}, true);`;

const modes = ['light', 'dark', 'forced colours', 'rtl'] as const;

describe('states.html: accessibility of every state', () => {
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

  for (const provider of ['convertapi', 'cloudconvert'] as Provider[]) {
    describe(provider, () => {
      let ltr: Page;

      before(async () => {
        ltr = await openStates(browser, server.origin, { provider, dir: 'ltr' });
      });

      after(async () => {
        await ltr.close();
      });

      for (const mode of modes) {
        it(`axe finds no violation (${mode})`, async () => {
          let page = ltr;
          if (mode === 'rtl') page = await openStates(browser, server.origin, { provider, dir: 'rtl' });
          try {
            await page.emulateMedia({
              colorScheme: mode === 'dark' ? 'dark' : 'light',
              forcedColors: mode === 'forced colours' ? 'active' : 'none',
            });
            if (mode === 'rtl') assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
            assert.deepEqual(await axeViolations(page), []);
          } finally {
            if (page !== ltr) await page.close();
          }
        });
      }

      for (const forcedColors of ['none', 'active'] as const) {
        it(`every control reached with Tab shows a focus indicator (${forcedColors === 'active' ? 'forced colours' : 'light'})`, async () => {
          await ltr.emulateMedia({ colorScheme: 'light', forcedColors });
          await checkFocus(ltr);
        });
      }

      it('the live region never says a percentage while the file uploads', async () => {
        const page = await browser.newPage({ viewport: { width: 720, height: 900 } });
        try {
          await page.addInitScript({ content: liveRegionRecorder });
          await gotoStates(page, server.origin, { provider, dir: 'ltr' });
          // The upload has moved on while the live region was watched (states.html waits for some progress).
          const record = await page.evaluate(
            () =>
              (
                window as unknown as {
                  __uploading: { live: string[]; progress: number[]; statuses: string[] };
                }
              ).__uploading,
          );
          assert.ok(
            record.statuses.includes('uploading'),
            `the uploading widget was seen uploading: ${JSON.stringify(record.statuses)}`,
          );
          const partway = record.progress.filter((progress) => progress > 0 && progress < 1);
          assert.ok(
            partway.length > 0,
            `upload progress reported partway: ${JSON.stringify(record.progress)}`,
          );
          assert.ok(record.live.length > 0, 'the live region was found');
          assert.deepEqual(
            record.live.filter((text) => text.includes('%')),
            [],
            `live region texts: ${JSON.stringify(record.live)}`,
          );
        } finally {
          await page.close();
        }
      });
    });
  }
});
