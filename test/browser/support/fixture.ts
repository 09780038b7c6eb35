import { fixture as openWcFixture } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import './lit-warnings.js';
import '../../../src/define.js';

/** Renders a template and waits for the element to finish its first update. */
export async function fixture<T extends Element>(template: TemplateResult): Promise<T> {
  return openWcFixture<T>(template);
}

/** A File made in the page, for tests that add files without a real picker. */
export function makeFile(name: string, content = 'hello', type = 'text/plain'): File {
  return new File([content], name, { type });
}

/** A PNG of `size` × `size` pixels drawn in the page. */
export function pngFile(name: string, size = 8): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#0b57d0';
  context.fillRect(0, 0, size, size);
  return new Promise((resolve) => {
    canvas.toBlob((blob) => {
      resolve(new File([blob!], name, { type: 'image/png' }));
    }, 'image/png');
  });
}
