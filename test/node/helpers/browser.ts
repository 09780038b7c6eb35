import { chromium, type Browser, type Page } from 'playwright';
import { chromiumArgs, findChromium, missingChromiumHelp } from '../../../scripts/chromium.mjs';

/** Launches the same headless Chromium the browser tests use. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = await findChromium();
  if (!executablePath) throw new Error(missingChromiumHelp);
  return chromium.launch({ executablePath, headless: true, args: chromiumArgs });
}

/** Collects the page's uncaught errors and console errors, for tests that expect none. */
export function collectPageProblems(
  page: Page,
  options: { expectedFrom?: (url: string) => boolean } = {},
): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // A failed load the page provokes on purpose logs an error too, located at the failing URL.
    if (message.type() === 'error' && !options.expectedFrom?.(message.location().url)) {
      problems.push(`console.error: ${message.text()}`);
    }
  });
  return problems;
}
