// A node:test reporter that counts leaf tests and writes `{ passed, failed, skipped }` as JSON.
// A file that fails to load is reported by node:test as a failed test of its own, so it counts.
export default async function* summaryReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') {
      // A skipped suite runs none of its tests: it counts as one skip, so it cannot vanish from the total.
      if (event.data.skip || event.data.todo) counts.skipped += 1;
      // A suite that fails outside its tests (a hook, a thrown error) still fails the run.
      if (event.type === 'test:fail' && event.data.details?.error?.failureType !== 'subtestsFailed') {
        counts.failed += 1;
      }
      continue;
    }
    if (event.data.skip || event.data.todo) counts.skipped += 1;
    else if (event.type === 'test:pass') counts.passed += 1;
    else counts.failed += 1;
  }
  yield `${JSON.stringify(counts)}\n`;
}
