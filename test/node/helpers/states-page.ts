// The states page (demo/states.html) for the visual comparison (test/e2e/visual.test.ts), the update command
// (scripts/screenshots.ts) and the accessibility test (test/e2e/states-accessibility.test.ts): the list of
// states and variants, opening the page in a state that can be photographed, the screenshot itself and the
// comparison with a baseline.
import { existsSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join, relative } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';

/** The sections of states.html, in page order (`#state-<name>`). */
export const states = [
  'empty',
  'drag-over',
  'added',
  'uploading',
  'converting',
  'done',
  'failed',
  'rejected',
  'disabled',
  'compact',
  'themed',
] as const;
export type State = (typeof states)[number];

export type Provider = 'convertapi' | 'cloudconvert';
export type Direction = 'ltr' | 'rtl';
export type ColorScheme = 'light' | 'dark';

/** One way of loading the page: each is a page load (the sandbox's faults are set up again). */
export interface Variant {
  provider: Provider;
  dir: Direction;
}

/** One screenshot: a state of a variant, in a colour scheme, at a width. */
export interface Shot extends Variant {
  state: State;
  colorScheme: ColorScheme;
  width: number;
}

export const widths = [720, 380] as const;
export const colorSchemes: readonly ColorScheme[] = ['light', 'dark'];

/**
 * Every screenshot compared: ConvertAPI in light and dark, LTR and RTL, at both widths; CloudConvert (whose
 * rows differ only in what the service answers) in light and dark, LTR, at the wide width.
 */
export function shotsOf(variant: Variant): Shot[] {
  const shotWidths = variant.provider === 'convertapi' ? widths : ([720] as const);
  return shotWidths.flatMap((width) =>
    colorSchemes.flatMap((colorScheme) => states.map((state) => ({ ...variant, state, colorScheme, width }))),
  );
}

export const variants: readonly Variant[] = [
  { provider: 'convertapi', dir: 'ltr' },
  { provider: 'convertapi', dir: 'rtl' },
  { provider: 'cloudconvert', dir: 'ltr' },
];

export const allShots = (): Shot[] => variants.flatMap(shotsOf);

export const baselineDir = 'test/screenshots';
/** Where a failed comparison leaves the actual screenshot and the diff (gitignored). */
export const diffDir = join(baselineDir, '.diff');

/** The baseline's path relative to `baselineDir`, e.g. `convertapi/done-dark-rtl-380.png`. */
export function shotName(shot: Shot): string {
  return `${shot.provider}/${shot.state}-${shot.colorScheme}-${shot.dir}-${shot.width}.png`;
}

export function shotTitle(shot: Shot): string {
  return `${shot.state}, ${shot.colorScheme}, ${shot.dir}, ${shot.width} px`;
}

/**
 * The demo as `npm start` serves it, on a free loopback port, without HMR or a file watcher: an edit in the
 * working tree while the screenshots are taken must not reload the page (that would set the states up again).
 */
export async function startStatesServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server: ViteDevServer = await createServer({
    configFile: 'vite.config.ts',
    server: { port: 0, host: '127.0.0.1', hmr: false, watch: null },
    logLevel: 'silent',
  });
  await server.listen();
  const address = server.httpServer?.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}

export function statesUrl(origin: string, variant: Variant): string {
  const query = new URLSearchParams();
  if (variant.provider !== 'convertapi') query.set('provider', variant.provider);
  if (variant.dir !== 'ltr') query.set('dir', variant.dir);
  const search = query.toString();
  return `${origin}/states.html${search ? `?${search}` : ''}`;
}

/**
 * Loads states.html and waits until the page says every widget is in its state; a state the page could not
 * reach fails here with the page's own account of it.
 */
export async function gotoStates(page: Page, origin: string, variant: Variant): Promise<void> {
  await page.goto(statesUrl(origin, variant));
  await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
  const ready = await page.getAttribute('body', 'data-ready');
  if (ready !== 'true') {
    throw new Error(
      `states.html did not set up its states: ${await page.getAttribute('body', 'data-problem')}`,
    );
  }
}

/** Opens a page on states.html in a variant. */
export async function openStates(
  browser: Browser,
  origin: string,
  variant: Variant,
  options: { colorScheme?: ColorScheme; width?: number } = {},
): Promise<Page> {
  const page = await browser.newPage({
    colorScheme: options.colorScheme ?? 'light',
    viewport: { width: options.width ?? 720, height: 900 },
    reducedMotion: 'reduce',
  });
  await gotoStates(page, origin, variant);
  return page;
}

/** Waits for the fonts, every image (in shadow roots too) and two frames, so the page has painted. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
    // No named functions in here: the test's TypeScript loader would wrap them in a helper the page lacks.
    const images: HTMLImageElement[] = [];
    const roots: Array<Document | ShadowRoot> = [document];
    for (let root = roots.pop(); root; root = roots.pop()) {
      for (const element of root.querySelectorAll('*')) {
        if (element instanceof HTMLImageElement) images.push(element);
        if (element.shadowRoot) roots.push(element.shadowRoot);
      }
    }
    await Promise.all(
      images.map((image) =>
        image.complete
          ? Promise.resolve()
          : new Promise((resolve) => {
              image.addEventListener('load', resolve, { once: true });
              image.addEventListener('error', resolve, { once: true });
            }),
      ),
    );
    await Promise.all(images.map((image) => image.decode().catch(() => undefined)));
    for (let frame = 0; frame < 2; frame += 1) await new Promise(requestAnimationFrame);
  });
}

/** What depends on the clock or the network's pace, hidden in every screenshot (inside the shadow roots). */
const timeDependentParts = ['progress', 'progress-text', 'summary', 'expiry'];

/**
 * The masks cover each element's box, and a text's box is as wide as the text ("21 % · 4 MB of 20 MB" now,
 * "· 2 min left" later): while photographed, the time-dependent texts get one fixed width, so that neither
 * the mask nor what follows it moves. (Playwright applies this stylesheet inside shadow roots too.)
 */
const fixedWidthTexts = `${['progress-text', 'summary', 'expiry']
  .map((part) => `[part~="${part}"]`)
  .join(', ')} { display: inline-block !important; width: 9em !important; max-width: 100% !important;
  overflow: hidden !important; white-space: nowrap !important; vertical-align: bottom !important; }`;

/** Sets the page's width and colour scheme (no reload), then photographs one state's section. */
export async function screenshot(page: Page, shot: Shot): Promise<Buffer> {
  const viewport = page.viewportSize();
  if (viewport?.width !== shot.width) {
    await page.setViewportSize({ width: shot.width, height: 900 });
    // A page scrolled while it was wider keeps an offset that no longer fits it (seen in right-to-left pages):
    // start the new width from the top, at the start edge.
    await page.evaluate(() => {
      window.scrollTo(0, 0);
    });
  }
  await page.emulateMedia({ colorScheme: shot.colorScheme, reducedMotion: 'reduce' });
  await settle(page);
  const section = page.locator(`#state-${shot.state}`);
  return section.screenshot({
    animations: 'disabled',
    caret: 'hide',
    scale: 'css',
    style: fixedWidthTexts,
    mask: timeDependentParts.map((part) => section.locator(`[part~="${part}"]`)),
  });
}

/** pixelmatch's per-pixel colour threshold (0..1; anti-aliased pixels are ignored as well). */
export const pixelThreshold = 0.1;
/**
 * The share of pixels that may differ: 0.01 %. Two runs of the same code differ in no pixel at all; moving one
 * file name by 1 px changes 50 to 1,400 pixels of a screenshot (0.03 % to 0.7 %), which 0.1 % would let by.
 */
export const maxDiffRatio = 0.0001;

export interface Comparison {
  pass: boolean;
  message: string;
}

function padded(png: PNG, width: number, height: number): PNG {
  if (png.width === width && png.height === height) return png;
  const out = new PNG({ width, height });
  out.data.fill(0);
  PNG.bitblt(png, out, 0, 0, png.width, png.height, 0, 0);
  return out;
}

function write(path: string, data: Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}

/**
 * Compares a screenshot with its baseline. A missing baseline fails; so does a size change or more than
 * `maxDiffRatio` of the pixels differing, and then `<name>.actual.png` and `<name>.diff.png` are written under
 * `diffDir` and named in the message. A passing comparison removes those files left by an earlier run.
 */
export function compareWithBaseline(actual: Buffer, name: string): Comparison {
  const baselinePath = join(baselineDir, name);
  const stem = join(diffDir, name.replace(/\.png$/, ''));
  const actualPath = `${stem}.actual.png`;
  const diffPath = `${stem}.diff.png`;
  const show = (path: string) => relative(process.cwd(), path);
  rmSync(actualPath, { force: true });
  rmSync(diffPath, { force: true });
  if (!existsSync(baselinePath)) {
    write(actualPath, actual);
    return {
      pass: false,
      message:
        `No baseline ${show(baselinePath)}. The screenshot is in ${show(actualPath)}; ` +
        'if it is right, record it with `npm run screenshots:update`.',
    };
  }
  const expectedPng = PNG.sync.read(readFileSync(baselinePath));
  const actualPng = PNG.sync.read(actual);
  const width = Math.max(expectedPng.width, actualPng.width);
  const height = Math.max(expectedPng.height, actualPng.height);
  const diff = new PNG({ width, height });
  const differing = pixelmatch(
    padded(expectedPng, width, height).data,
    padded(actualPng, width, height).data,
    diff.data,
    width,
    height,
    { threshold: pixelThreshold },
  );
  const sizeChanged = expectedPng.width !== actualPng.width || expectedPng.height !== actualPng.height;
  const allowed = Math.floor(width * height * maxDiffRatio);
  if (!sizeChanged && differing <= allowed) return { pass: true, message: `${differing} pixels differ` };
  write(actualPath, actual);
  write(diffPath, PNG.sync.write(diff));
  const size = sizeChanged
    ? `its size changed from ${expectedPng.width}×${expectedPng.height} to ${actualPng.width}×${actualPng.height}; `
    : '';
  return {
    pass: false,
    message:
      `${show(baselinePath)} differs: ${size}${differing} of ${width * height} pixels differ ` +
      `(at most ${allowed} may). Actual: ${show(actualPath)}; diff: ${show(diffPath)}. ` +
      'If the change is intended, record it with `npm run screenshots:update`.',
  };
}
