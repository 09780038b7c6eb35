export interface ConversionInput {
  data: Buffer;
  name: string;
  /** The input format: an extension, any case, aliases allowed (`jpeg`, `markdown`, `htm`, `text`). */
  from: string;
}

export interface ConversionOutput {
  data: Buffer;
  name: string;
  /** Canonical extension of the output (`jpg`, never `jpeg`). */
  ext: string;
  contentType: string;
}

/**
 * Conversion options, looked up case-insensitively ignoring `_` and `-`; unknown ones are ignored.
 * Understood: `quality` (1–100), `width`, `height`, `fit` for images; `page_size` (a3, a4, a5,
 * letter, legal), `page_orientation` (portrait, landscape), `margin` (points) for PDFs.
 */
export interface ConversionOptions {
  [option: string]: unknown;
}
