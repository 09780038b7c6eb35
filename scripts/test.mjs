// Runs the whole suite of both packages: Node tests (the sandbox package's own tests and conformance tests, the
// server kit, the package checks, e2e with Playwright) and browser tests (real Chromium), then prints one line
// that adds them up: `N passed, N failed`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureChromium, missingChromiumHelp } from './chromium.mjs';
import { ensureSystemTools } from './system-tools.mjs';

const resultsDir = '.test-results';
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const coverage = args.includes('--coverage');

function findTests(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

function run(command, commandArgs, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

function readCounts(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function runNodeTests() {
  const files = [
    ...findTests('sandbox/test', '.test.ts'),
    ...findTests('test/node', '.test.ts'),
    ...findTests('test/e2e', '.test.ts'),
  ];
  if (files.length === 0) return { passed: 0, failed: 0, skipped: 0 };
  const output = join(resultsDir, 'node.json');
  const exitCode = await run(process.execPath, [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/node-summary-reporter.mjs',
    `--test-reporter-destination=${output}`,
    ...files,
  ]);
  const counts = readCounts(output) ?? { passed: 0, failed: 0, skipped: 0 };
  if (exitCode !== 0 && counts.failed === 0) counts.failed += 1;
  console.log(`node: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  return counts;
}

async function runBrowserTests() {
  const output = join(resultsDir, 'browser.json');
  const wtrArgs = ['--import', 'tsx', 'node_modules/@web/test-runner/dist/bin.js'];
  if (coverage) wtrArgs.push('--coverage');
  const exitCode = await run(process.execPath, wtrArgs, { WTR_SUMMARY_FILE: output });
  const counts = readCounts(output) ?? { passed: 0, failed: 0, skipped: 0 };
  if (exitCode !== 0 && counts.failed === 0) counts.failed += 1;
  return counts;
}

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

// Both the browser tests and the Node e2e tests drive Chromium; every child process gets the same one.
const chromium = await ensureChromium();
if (!chromium) {
  console.error(missingChromiumHelp);
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}
process.env.CHROME_PATH = chromium;
// The tests that need a missing tool fail with this same line; it is said once more up front.
for (const problem of ensureSystemTools()) console.error(problem);

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const [name, runner] of [
  ['node', runNodeTests],
  ['browser', runBrowserTests],
]) {
  if (only && only !== name) continue;
  const counts = await runner();
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
}

// A skipped test hides whatever it would have found, so a skip fails the run: remove the skip or fix the test.
if (totals.skipped > 0)
  console.error(`\n${totals.skipped} skipped: a skip fails the run (see the output above).`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 || totals.skipped > 0 ? 1 : 0;
