import { expect } from '@open-wc/testing';
import { render } from 'lit';
import type { UploadItem } from '../../src/engine/types.js';
import { en } from '../../src/element/strings/en.js';
import { renderFile, type FileRowContext } from '../../src/element/views/file-row.js';

const context: FileRowContext = {
  ui: en,
  lang: 'en',
  canConvertAgain: () => [],
  actions: {
    cancel: () => undefined,
    retry: () => undefined,
    remove: () => undefined,
    convertAgain: () => undefined,
  },
  thumbnail: () => undefined,
  secondsLeft: () => undefined,
};

describe('a file row', () => {
  it("shows a result's name with its directional controls made visible, in the text, label and download name", () => {
    const spoofed = 'b\u202Efdp.exe';
    const item: UploadItem = {
      id: 'file-1',
      name: 'report.txt',
      size: 10,
      type: 'text/plain',
      status: 'done',
      uploadProgress: 1,
      convertProgress: null,
      results: [{ name: spoofed, url: 'https://v2.convertapi.com/d/abc/b.exe', format: 'exe' }],
    };
    const host = document.createElement('ul');
    render(renderFile(item, context), host);
    const link = host.querySelector('a[part="result"]')!;
    for (const text of [
      link.textContent,
      link.getAttribute('aria-label') ?? '',
      link.getAttribute('download') ?? '',
    ]) {
      expect(text).to.not.include('\u202E');
      expect(text).to.include('b\uFFFDfdp.exe');
    }
  });
});
