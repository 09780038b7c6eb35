// Finds a Chromium for the browser tests, and gets one when there is none.
// Order: $CHROME_PATH, a Playwright-managed browser, the system's /usr/bin/chromium.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const systemPaths = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** Flags that keep headless Chromium quiet on a machine without outside network. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

async function playwrightManagedChromium() {
  try {
    const { chromium } = await import('playwright');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

/** The path of a usable Chromium, or undefined. */
export async function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROME_PATH is set to ${fromEnv}, which does not exist.`);
  }
  return (await playwrightManagedChromium()) ?? systemPaths.find((path) => existsSync(path));
}

function isRootOnDebian() {
  return process.getuid?.() === 0 && existsSync('/etc/debian_version');
}

function tryPlaywrightDownload() {
  const result = spawnSync('npx', ['--no-install', 'playwright', 'install', 'chromium'], {
    stdio: 'inherit',
    timeout: 5 * 60_000,
  });
  return result.status === 0;
}

function tryAptInstall() {
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return true;
  } catch {
    return false;
  }
}

/** A usable Chromium: found, or fetched with Playwright, or installed from Debian's packages as root. */
export async function ensureChromium() {
  const found = await findChromium();
  if (found) return found;
  console.log("No Chromium found: trying Playwright's download…");
  if (tryPlaywrightDownload()) {
    const downloaded = await findChromium();
    if (downloaded) return downloaded;
  }
  if (isRootOnDebian()) {
    console.log("Installing Debian's chromium package…");
    if (tryAptInstall()) {
      const installed = await findChromium();
      if (installed) return installed;
    }
  }
  return undefined;
}

export const missingChromiumHelp =
  'No Chromium for the browser tests: install one (Debian/Ubuntu: `apt-get install chromium`; elsewhere: `npx playwright install chromium`) or set CHROME_PATH.';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = process.argv.includes('--ensure') ? await ensureChromium() : await findChromium();
  if (!path) {
    console.error(missingChromiumHelp);
    process.exit(1);
  }
  let version = '';
  try {
    version = execFileSync(path, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    // A browser that cannot print its version can still run the tests.
  }
  console.log(`${path}${version ? ` (${version})` : ''}`);
}
