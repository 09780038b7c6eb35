import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEndpointError } from '../../../src/contract/endpoint-error.js';

describe('parseEndpointError', () => {
  it('reads the code, and the limit the server kit sends as a string', () => {
    const text = JSON.stringify({
      error: { code: 'too-many-files', message: 'At most 5 files may be converted at once.', limit: '5' },
    });
    assert.deepEqual(parseEndpointError(text), { code: 'too-many-files', limit: 5 });
    assert.deepEqual(parseEndpointError('{"error":{"code":"too-many-files","limit":3}}'), {
      code: 'too-many-files',
      limit: 3,
    });
  });

  it('keeps codes it does not know: hosts may write their own endpoints', () => {
    assert.deepEqual(parseEndpointError('{"error":{"code":"over-quota"}}'), {
      code: 'over-quota',
      limit: undefined,
    });
  });

  it('drops a limit that is not a whole number from 1', () => {
    for (const limit of ['0', '-2', '2.5', 'many', '', null, [], {}]) {
      const text = JSON.stringify({ error: { code: 'too-many-files', limit } });
      assert.equal(parseEndpointError(text)?.limit, undefined, JSON.stringify(limit));
    }
  });

  it('is undefined for anything but an error body', () => {
    const texts = [
      '',
      'not json',
      'null',
      '[]',
      '"error"',
      '{}',
      '{"error":"too-many-files"}',
      '{"error":[{"code":"x"}]}',
      '{"error":{"code":5}}',
      '{"error":{"message":"no code"}}',
    ];
    for (const text of texts) assert.equal(parseEndpointError(text), undefined, text);
  });
});
