// A Web Test Runner reporter that counts tests (a file that failed to load counts as one failure),
// prints `N passed, N failed` and writes the counts where the test orchestrator can add them up.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

function countSuite(suite, counts) {
  if (!suite) return;
  for (const test of suite.tests ?? []) {
    if (test.skipped) counts.skipped += 1;
    else if (test.passed) counts.passed += 1;
    else counts.failed += 1;
  }
  for (const child of suite.suites ?? []) countSuite(child, counts);
}

export function summaryReporter({ outputFile } = {}) {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        const before = counts.passed + counts.failed + counts.skipped;
        countSuite(session.testResults, counts);
        const ranTests = counts.passed + counts.failed + counts.skipped > before;
        // A file that could not load, or that threw outside any test, is a failure of its own.
        if (!session.passed && (!ranTests || (session.errors ?? []).length > 0)) counts.failed += 1;
      }
      if (outputFile) {
        mkdirSync(dirname(outputFile), { recursive: true });
        writeFileSync(outputFile, JSON.stringify(counts));
      }
      console.log(`\nbrowser: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    },
  };
}
