// Fails the running test when Lit issued a dev-mode warning during it
// (the page's warnings are recorded by web-test-runner.config.mjs).
declare global {
  var __litWarnings: string[] | undefined;
}

afterEach(function failOnLitWarnings() {
  const warnings = globalThis.__litWarnings ?? [];
  if (warnings.length > 0) {
    const message = `Lit warned:\n${warnings.join('\n')}`;
    warnings.length = 0;
    throw new Error(message);
  }
});

export {};
