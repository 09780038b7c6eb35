import { chromium, type Browser, type Page } from 'playwright';
import { chromiumArgs, findChromium, missingChromiumHelp } from '../../../scripts/chromium.mjs';

/** Launches the same headless Chromium the browser tests use. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = await findChromium();
  if (!executablePath) throw new Error(missingChromiumHelp);
  return chromium.launch({ executablePath, headless: true, args: chromiumArgs });
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
