import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { chromiumArgs, findChromium, missingChromiumHelp } from './scripts/chromium.mjs';
import { summaryReporter } from './scripts/wtr-summary-reporter.mjs';
import { createBackend } from './test/browser/support/backend-plugin.mjs';
import { dropPathsPlugin, offlinePlugin, pickFilesPlugin } from './test/browser/support/commands-plugin.mjs';

const executablePath = await findChromium();
if (!executablePath) throw new Error(missingChromiumHelp);
const backend = await createBackend();

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' }),
    pickFilesPlugin(),
    dropPathsPlugin(),
    offlinePlugin(),
    backend.plugin,
  ],
  middleware: [backend.middleware],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath, headless: true, args: chromiumArgs },
    }),
  ],
  // One test file at a time: they share the backend (sandbox faults, request log, call counts).
  concurrency: 1,
  testsFinishTimeout: 10 * 60_000,
  testFramework: { config: { ui: 'bdd', timeout: 10_000 } },
  // Console output is recorded for credential scans; Lit's dev-mode warnings are turned into failures
  // by test/browser/support/lit-warnings.ts.
  testRunnerHtml: (testFramework) => `<!doctype html>
    <html lang="en">
      <head><meta charset="utf-8"><title>convert-uploader tests</title></head>
      <body>
        <script>
          globalThis.litIssuedWarnings = new Set(['dev-mode']);
          globalThis.__litWarnings = [];
          globalThis.__consoleRecords = [];
          globalThis.__pageErrors = [];
          addEventListener('error', (event) => globalThis.__pageErrors.push('error: ' + event.message));
          addEventListener('unhandledrejection', (event) => globalThis.__pageErrors.push('unhandled rejection: ' + String(event.reason)));
          for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
            const original = console[level].bind(console);
            console[level] = (...args) => {
              const text = args.map(String).join(' ');
              globalThis.__consoleRecords.push(text);
              if (level === 'error') globalThis.__pageErrors.push('console.error: ' + text);
              if (level === 'warn' && (text.includes('lit.dev/msg/') || text.includes('Lit '))) {
                globalThis.__litWarnings.push(text);
              }
              original(...args);
            };
          }
        </script>
        <script type="module" src="${testFramework}"></script>
      </body>
    </html>`,
  coverage: process.argv.includes('--coverage'),
  coverageConfig: {
    include: ['src/**/*.ts'],
    exclude: ['src/server/**', 'src/sandbox/**', 'node_modules/**'],
    report: true,
    reportDir: 'coverage/browser',
    reporters: ['text-summary', 'lcov'],
    threshold: { statements: 70, branches: 60, functions: 70, lines: 70 },
  },
  reporters: [defaultReporter(), summaryReporter({ outputFile: process.env.WTR_SUMMARY_FILE })],
};
