import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNonBlankString, isRecord, parseJsonObject } from '../../../src/contract/guards.js';

describe('guards', () => {
  it('isRecord: plain objects only, not arrays or null', () => {
    assert.equal(isRecord({}), true);
    assert.equal(isRecord(Object.create(null)), true);
    for (const value of [null, undefined, [], [1], 'x', 1, () => undefined]) {
      assert.equal(isRecord(value), false, String(value));
    }
  });

  it('isNonBlankString: a string with more than white space', () => {
    assert.equal(isNonBlankString(' a '), true);
    for (const value of ['', ' \t\n', 1, null, undefined]) assert.equal(isNonBlankString(value), false);
  });

  it('parseJsonObject: the object a JSON text holds, else undefined', () => {
    assert.deepEqual(parseJsonObject('{"a":[1]}'), { a: [1] });
    for (const text of ['', '{', 'null', '[]', '"x"', '1'])
      assert.equal(parseJsonObject(text), undefined, text);
  });
});
