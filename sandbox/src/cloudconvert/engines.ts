import { normalizeFormat } from '../conversions/formats.js';

/** An engine as convert tasks and `/v2/convert/formats` name it. */
export interface Engine {
  engine: string;
  version: string;
}

const IMAGE_FORMATS = new Set(['png', 'jpg', 'webp', 'gif', 'tiff']);

/**
 * The engine CloudConvert would pick for a pair: ImageMagick for images (as in the recorded
 * `job_finished.json`, docs/cloudconvert.md §12.3), Chrome for HTML, LibreOffice and Pandoc for text.
 * The names are descriptive only; the sandbox converts with its own libraries.
 */
export function engineFor(from: string, to: string): Engine {
  const source = normalizeFormat(from);
  if (IMAGE_FORMATS.has(source) || IMAGE_FORMATS.has(normalizeFormat(to))) {
    return { engine: 'imagemagick', version: '7.1.1' };
  }
  if (source === 'html') return { engine: 'chrome', version: '124' };
  if (source === 'md') return { engine: 'pandoc', version: '3.1.13' };
  return { engine: 'libreoffice', version: '7.6.4' };
}

/** The `meta.group` of a format in `/v2/convert/formats`. */
export function formatGroup(format: string): string {
  const normalized = normalizeFormat(format);
  if (IMAGE_FORMATS.has(normalized)) return 'image';
  if (normalized === 'html') return 'webpage';
  return 'document';
}
