// The programs the tests start besides Chromium: poppler (pdftoppm, pdftotext), LibreOffice (soffice, the
// sandbox's Office engine) and redis-server (the server kit's shared stores). `npm test` installs the missing ones
// from Debian's packages when it can (as root, with apt-get), as it does Chromium; otherwise it says in one line
// what to install, and the tests that need them fail saying the same.
import { execFileSync } from 'node:child_process';

const tools = [
  { command: 'pdftoppm', packages: ['poppler-utils'] },
  {
    command: 'soffice',
    packages: ['libreoffice-writer-nogui', 'libreoffice-calc-nogui', 'libreoffice-impress-nogui'],
  },
  { command: 'redis-server', packages: ['redis-server'] },
];

function has(command) {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Installs what is missing when this is a Debian machine and we are root; returns the lines to print. */
export function ensureSystemTools() {
  const missing = tools.filter((tool) => !has(tool.command));
  if (missing.length === 0) return [];
  const packages = missing.flatMap((tool) => tool.packages);
  if (process.getuid?.() === 0 && has('apt-get')) {
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
      execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } catch {
      // Said below, with what is still missing.
    }
  }
  return tools
    .filter((tool) => !has(tool.command))
    .map(
      (tool) =>
        `Missing ${tool.command}: install it (Debian/Ubuntu: apt-get install ${tool.packages.join(' ')}).`,
    );
}
