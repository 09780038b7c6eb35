import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { chromiumArgs, findChromium, missingChromiumHelp } from './scripts/chromium.mjs';
import { summaryReporter } from './scripts/wtr-summary-reporter.mjs';
import { pickFilesPlugin } from './test/browser/support/commands-plugin.mjs';

const executablePath = await findChromium();
if (!executablePath) throw new Error(missingChromiumHelp);

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' }), pickFilesPlugin()],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath, headless: true, args: chromiumArgs },
    }),
  ],
  concurrency: 2,
  testFramework: { config: { ui: 'bdd', timeout: 10_000 } },
  // Lit's dev-mode warnings are recorded here and turned into failures by test/browser/support/lit-warnings.ts.
  testRunnerHtml: (testFramework) => `<!doctype html>
    <html lang="en">
      <head><meta charset="utf-8"><title>convert-uploader tests</title></head>
      <body>
        <script>
          globalThis.litIssuedWarnings = new Set(['dev-mode']);
          globalThis.__litWarnings = [];
          const warn = console.warn.bind(console);
          console.warn = (...args) => {
            if (args.some((arg) => String(arg).includes('lit.dev/msg/') || String(arg).includes('Lit '))) {
              globalThis.__litWarnings.push(args.map(String).join(' '));
            }
            warn(...args);
          };
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
