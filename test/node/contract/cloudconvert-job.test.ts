import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloudConvertJobBody, fileNameWithFormat } from '../../../src/contract/cloudconvert-job.js';
import { taskNamesForFile } from '../../../src/contract/cloudconvert-task-names.js';

describe('taskNamesForFile', () => {
  it("names a file's chain after its place in the batch", () => {
    assert.deepEqual(taskNamesForFile(3), {
      import: 'import-3',
      convert: 'convert-3',
      export: 'export-3',
      original: 'original-3',
    });
  });
});

describe('fileNameWithFormat', () => {
  it("replaces the extension, or adds one, but never a hidden file's name", () => {
    assert.equal(fileNameWithFormat('report.docx', 'pdf'), 'report.pdf');
    assert.equal(fileNameWithFormat('archive.tar.gz', 'zip'), 'archive.tar.zip');
    assert.equal(fileNameWithFormat('README', 'pdf'), 'README.pdf');
    assert.equal(fileNameWithFormat('.bashrc', 'pdf'), '.bashrc.pdf');
  });
});

describe('cloudConvertJobBody', () => {
  it('makes one import → convert → export chain per file, plus the export of the original', () => {
    const body = cloudConvertJobBody(
      [
        { name: 'a.docx', inputFormat: 'docx' },
        { name: 'b.md', inputFormat: 'md', importUrl: 'https://storage.cloudconvert.com/tasks/1/b.md' },
      ],
      'pdf',
      'site',
    );
    assert.deepEqual(body, {
      tag: 'site',
      tasks: {
        'import-0': { operation: 'import/upload' },
        'original-0': { operation: 'export/url', input: 'import-0' },
        'convert-0': {
          operation: 'convert',
          input: 'import-0',
          input_format: 'docx',
          output_format: 'pdf',
          filename: 'a.pdf',
        },
        'export-0': { operation: 'export/url', input: 'convert-0' },
        'import-1': {
          operation: 'import/url',
          url: 'https://storage.cloudconvert.com/tasks/1/b.md',
          filename: 'b.md',
        },
        'original-1': { operation: 'export/url', input: 'import-1' },
        'convert-1': {
          operation: 'convert',
          input: 'import-1',
          input_format: 'md',
          output_format: 'pdf',
          filename: 'b.pdf',
        },
        'export-1': { operation: 'export/url', input: 'convert-1' },
      },
    });
  });

  it('leaves the input format to CloudConvert when none is known', () => {
    const { tasks } = cloudConvertJobBody([{ name: 'notes', inputFormat: '' }], 'pdf', 'site');
    assert.equal('input_format' in (tasks['convert-0'] ?? {}), false);
  });

  it('puts the parameters into each convert task, under the fields the chain sets', () => {
    const { tasks } = cloudConvertJobBody([{ name: 'a.png', inputFormat: 'png' }], 'jpg', 'site', {
      quality: 80,
      operation: 'optimize',
      input: 'elsewhere',
      output_format: 'gif',
    });
    assert.deepEqual(tasks['convert-0'], {
      quality: 80,
      operation: 'convert',
      input: 'import-0',
      input_format: 'png',
      output_format: 'jpg',
      filename: 'a.jpg',
    });
  });
});
