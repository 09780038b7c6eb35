import { expect } from '@open-wc/testing';
import { knownSecrets, logMark, sandboxRequests } from './backend-client.js';
import { findLeaks } from './credential-scan.js';

declare global {
  var __pageErrors: string[] | undefined;
}

/**
 * After each test of a suite: no uncaught error, no unhandled rejection, no console.error, and no
 * credential anywhere in the page or in the URLs the sandbox saw since the test began.
 */
export function expectCleanPages(): void {
  let mark = 0;
  beforeEach(async () => {
    mark = await logMark();
    (globalThis.__pageErrors ?? []).length = 0;
  });
  afterEach(async () => {
    const errors = [...(globalThis.__pageErrors ?? [])];
    (globalThis.__pageErrors ?? []).length = 0;
    expect(errors, 'uncaught errors or console errors').to.deep.equal([]);
    expect(findLeaks(await knownSecrets(), await sandboxRequests(mark))).to.deep.equal([]);
  });
}
