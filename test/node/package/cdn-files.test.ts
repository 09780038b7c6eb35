// The CDN files carry no developer messages (scripts/drop-developer-messages.ts empties them: the element reports
// errors by code, in the visitor's language), while the npm build keeps them for developers. Each message below
// comes from another layer, so that a transform that misses a folder (as it once missed src/engine) fails here.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureBuilt } from '../helpers/build.js';

const developerMessages = [
  'keeps answering with spent credentials', // src/engine/credential-source.ts
  'is nested too deeply', // src/engine/credential-guard.ts, through rejectAnswer
  'answered without a FileId', // src/providers/convertapi.ts
];

function codeOf(dir: string): string {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.js'))
    .map((file) => readFileSync(join(dir, file), 'utf8'))
    .join('\n');
}

describe('developer messages', () => {
  before(async () => {
    await ensureBuilt();
  });

  it('are in the npm build', () => {
    const code = codeOf('dist');
    for (const message of developerMessages) assert.ok(code.includes(message), message);
  });

  it('are not in the CDN files (module, language files and classic script)', () => {
    const code = codeOf('dist/cdn');
    for (const message of developerMessages) assert.ok(!code.includes(message), message);
  });
});
