import { expect } from '@open-wc/testing';
import type { ConvertErrorEvent, ConvertUploader } from '../../../src/index.js';

/** Collects the element's `convert-error` events from now on. */
export function errorEvents(el: ConvertUploader): ConvertErrorEvent[] {
  const seen: ConvertErrorEvent[] = [];
  el.addEventListener('convert-error', (event) => seen.push(event));
  return seen;
}

/** Downloads a result the way a visitor's browser would, and returns its first five bytes (`%PDF-`). */
export async function firstBytes(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status).to.equal(200);
  return new TextDecoder().decode((await response.arrayBuffer()).slice(0, 5));
}
