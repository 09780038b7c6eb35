import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileExtension, inputFormatOf } from '../../../src/contract/file-name.js';

describe('fileExtension', () => {
  it('is the lower-cased part after the last dot', () => {
    assert.equal(fileExtension('Report.DOCX'), 'docx');
    assert.equal(fileExtension('archive.tar.gz'), 'gz');
  });

  it('is empty for names without one, hidden files and a trailing dot', () => {
    for (const name of ['README', '.bashrc', 'notes.', '']) assert.equal(fileExtension(name), '', name);
  });
});

describe('inputFormatOf', () => {
  it("takes the file's extension over `from`", () => {
    assert.equal(inputFormatOf('notes.md', 'txt'), 'md');
    assert.equal(inputFormatOf('Photo.JPEG', 'png'), 'jpeg');
  });

  it('takes `from`, lower-cased, for a name without extension', () => {
    assert.equal(inputFormatOf('notes', 'txt'), 'txt');
    assert.equal(inputFormatOf('.bashrc', 'TXT'), 'txt');
    assert.equal(inputFormatOf('notes.', 'md'), 'md');
  });

  it('is empty when neither says it', () => {
    assert.equal(inputFormatOf('notes'), '');
    assert.equal(inputFormatOf('notes', ''), '');
  });
});
