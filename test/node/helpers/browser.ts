import { chromium, type Browser, type Page } from 'playwright';
// @ts-expect-error -- a plain .mjs script shared with the test runner's config; it has no types.
import { chromiumArgs, findChromium, missingChromiumHelp } from '../../../scripts/chromium.mjs';

/** Launches the same headless Chromium the browser tests use. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = (await findChromium()) as string | undefined;
  if (!executablePath) throw new Error(missingChromiumHelp as string);
  return chromium.launch({ executablePath, headless: true, args: chromiumArgs as string[] });
}

/** Collects the page's uncaught errors and console errors, for tests that expect none. */
export function collectPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  return problems;
}
