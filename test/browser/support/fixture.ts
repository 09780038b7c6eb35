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
