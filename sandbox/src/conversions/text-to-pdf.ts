import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFImage, type PDFPage } from 'pdf-lib';
import { runsText, type Block, type TextRun } from './document.js';
import { encodableText } from './encodable-text.js';
import { embedImage } from './pdf-image.js';
import type { PageSetup } from './page-setup.js';

export interface RenderOptions {
  page: PageSetup;
  /** Document title for the PDF metadata. */
  title?: string;
}

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  italic: PDFFont;
  boldItalic: PDFFont;
  mono: PDFFont;
  monoBold: PDFFont;
}

/** A measured piece of a line: a word fragment or a space, in one font. */
interface Piece {
  text: string;
  font: PDFFont;
  size: number;
  width: number;
}

type Line = Piece[];

const BODY_SIZE = 11;
const CODE_SIZE = 9.5;
const PLAIN_TEXT_SIZE = 10;
const LINE_SPACING = 1.35;
const HEADING_SIZES = [20, 16, 14, 12.5, 11.5, 11] as const;
const INDENT_STEP = 18;
const TAB_WIDTH = 4;
const TEXT_COLOR = rgb(0.1, 0.1, 0.1);
const MUTED_COLOR = rgb(0.55, 0.55, 0.55);
const CODE_BACKGROUND = rgb(0.95, 0.95, 0.95);

/** Draws lines top to bottom, starting a new page whenever the current one is full. */
class PageWriter {
  private page: PDFPage;
  private y: number;

  constructor(
    private readonly doc: PDFDocument,
    readonly setup: PageSetup,
  ) {
    this.page = this.addPage();
    this.y = this.top;
  }

  get top(): number {
    return this.setup.height - this.setup.margin;
  }

  get contentWidth(): number {
    return this.setup.width - 2 * this.setup.margin;
  }

  get atTopOfPage(): boolean {
    return this.y === this.top;
  }

  /** Moves down by `gap` unless at the top of a page. */
  space(gap: number): void {
    if (!this.atTopOfPage) this.y -= gap;
  }

  /** Starts a new page unless `height` still fits on this one. */
  reserve(height: number): void {
    if (this.y - height < this.setup.margin && !this.atTopOfPage) {
      this.page = this.addPage();
      this.y = this.top;
    }
  }

  /** Draws one line of pieces at `x`; `decorate` draws behind it (given the line's box). */
  drawLine(
    line: Line,
    x: number,
    lineHeight: number,
    decorate?: (page: PDFPage, bottom: number) => void,
  ): void {
    this.reserve(lineHeight);
    const bottom = this.y - lineHeight;
    decorate?.(this.page, bottom);
    const maxSize = Math.max(...line.map((piece) => piece.size), 0);
    const baseline = this.y - (lineHeight + maxSize * 0.7) / 2;
    let cursor = x;
    for (const group of groupByFont(line)) {
      if (group.text.trim() !== '') {
        this.page.drawText(group.text, {
          x: cursor,
          y: baseline,
          font: group.font,
          size: group.size,
          color: TEXT_COLOR,
        });
      }
      cursor += group.width;
    }
    this.y = bottom;
  }

  /** Draws a horizontal rule across the content width. */
  drawRule(x: number): void {
    this.reserve(BODY_SIZE);
    const y = this.y - BODY_SIZE / 2;
    this.page.drawLine({
      start: { x, y },
      end: { x: this.setup.width - this.setup.margin, y },
      thickness: 0.75,
      color: MUTED_COLOR,
    });
    this.y -= BODY_SIZE;
  }

  /** Continues on a new page, unless this one is still empty. */
  breakPage(): void {
    if (this.atTopOfPage) return;
    this.page = this.addPage();
    this.y = this.top;
  }

  /** Draws a picture at `x`, `width` × `height` points, on a new page when it does not fit on this one. */
  drawImage(image: PDFImage, x: number, width: number, height: number): void {
    this.reserve(height);
    this.y -= height;
    this.page.drawImage(image, { x, y: this.y, width, height });
  }

  private addPage(): PDFPage {
    return this.doc.addPage([this.setup.width, this.setup.height]);
  }
}

/** Pictures are laid out at 96 pixels per inch, as browsers show them, and never wider than the text. */
const POINTS_PER_PIXEL = 72 / 96;

/**
 * Lays text blocks out on PDF pages with the standard fonts: word wrapping, pagination, headings,
 * bold/italic/monospace runs, hanging list markers, quote bars, code boxes and rules.
 * Characters the fonts cannot encode are replaced, never fatal.
 * @returns the PDF file's bytes
 */
export async function renderBlocksToPdf(blocks: Block[], options: RenderOptions): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const fonts: Fonts = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
    italic: await doc.embedFont(StandardFonts.HelveticaOblique),
    boldItalic: await doc.embedFont(StandardFonts.HelveticaBoldOblique),
    mono: await doc.embedFont(StandardFonts.Courier),
    monoBold: await doc.embedFont(StandardFonts.CourierBold),
  };
  const title = options.title ?? firstHeading(blocks);
  if (title) doc.setTitle(encodableText(title, fonts.regular));
  doc.setProducer('convert-uploader sandbox (pdf-lib)');
  doc.setCreator('convert-uploader sandbox');

  const images = new Map<Block, PDFImage>();
  for (const block of blocks) {
    const image = block.kind === 'image' ? await embedImage(doc, block.data) : undefined;
    if (image) images.set(block, image);
  }
  const writer = new PageWriter(doc, options.page);
  let previous: Block | undefined;
  for (const block of blocks) {
    const image = images.get(block);
    if (image) drawPicture(writer, image, block);
    else drawBlock(writer, fonts, block, previous);
    previous = block;
  }
  return doc.save();
}

function drawBlock(writer: PageWriter, fonts: Fonts, block: Block, previous: Block | undefined): void {
  const left = writer.setup.margin + block.indent * INDENT_STEP;
  const width = Math.max(writer.contentWidth - block.indent * INDENT_STEP, INDENT_STEP * 2);
  const drawQuoteBars = (page: PDFPage, bottom: number, height: number): void => {
    for (let level = 0; level < block.quote; level++) {
      const x = writer.setup.margin + level * INDENT_STEP + 4;
      page.drawLine({
        start: { x, y: bottom },
        end: { x, y: bottom + height },
        thickness: 2,
        color: MUTED_COLOR,
      });
    }
  };

  switch (block.kind) {
    case 'heading': {
      const size = HEADING_SIZES[Math.min(Math.max(block.level, 1), 6) - 1] ?? BODY_SIZE;
      const lineHeight = size * 1.25;
      const runs = block.runs.map((run) => ({ ...run, bold: true }));
      const lines = wrapRuns(runs, fonts, size, width);
      writer.space(size * 0.8);
      // Keep a heading with at least two lines of what follows.
      writer.reserve(lines.length * lineHeight + 2 * BODY_SIZE * LINE_SPACING);
      for (const line of lines) {
        writer.drawLine(line, left, lineHeight, (page, bottom) => {
          drawQuoteBars(page, bottom, lineHeight);
        });
      }
      writer.space(size * 0.35);
      break;
    }
    case 'paragraph': {
      const lineHeight = BODY_SIZE * LINE_SPACING;
      const isListItem = block.marker !== undefined;
      const followsListItem = previous?.kind === 'paragraph' && previous.indent > 0 && block.indent > 0;
      writer.space(isListItem || followsListItem ? BODY_SIZE * 0.2 : BODY_SIZE * 0.6);
      const lines = wrapRuns(block.runs, fonts, BODY_SIZE, width);
      if (lines.length === 0) lines.push([]);
      lines.forEach((line, index) => {
        writer.drawLine(line, left, lineHeight, (page, bottom) => {
          drawQuoteBars(page, bottom, lineHeight);
          if (index === 0 && block.marker !== undefined)
            drawMarker(page, fonts, block.marker, left, bottom, lineHeight);
        });
      });
      break;
    }
    case 'preformatted': {
      const boxed = block.style === 'code';
      const size = boxed ? CODE_SIZE : PLAIN_TEXT_SIZE;
      const lineHeight = size * (boxed ? 1.3 : 1.25);
      const lines = wrapPreformatted(block.text, fonts.mono, size, boxed ? width - 8 : width);
      writer.space(boxed ? BODY_SIZE * 0.6 : 0);
      for (const line of lines) {
        writer.drawLine(line, boxed ? left + 4 : left, lineHeight, (page, bottom) => {
          drawQuoteBars(page, bottom, lineHeight);
          if (boxed)
            page.drawRectangle({ x: left, y: bottom, width, height: lineHeight, color: CODE_BACKGROUND });
        });
      }
      break;
    }
    case 'rule':
      writer.space(BODY_SIZE * 0.4);
      writer.drawRule(left);
      break;
    case 'page-break':
      writer.breakPage();
      break;
    case 'image': {
      // A picture that could not be embedded: its alternative text, in italics, takes its place.
      if (block.alt.trim() === '') break;
      const lineHeight = BODY_SIZE * LINE_SPACING;
      writer.space(BODY_SIZE * 0.6);
      for (const line of wrapRuns([{ text: block.alt, italic: true }], fonts, BODY_SIZE, width)) {
        writer.drawLine(line, left, lineHeight);
      }
      break;
    }
  }
}

/** A picture scaled down (never up) to fit the text width and the page height. */
function drawPicture(writer: PageWriter, image: PDFImage, block: Block): void {
  const left = writer.setup.margin + block.indent * INDENT_STEP;
  const maxWidth = Math.max(writer.contentWidth - block.indent * INDENT_STEP, INDENT_STEP * 2);
  const maxHeight = writer.setup.height - 2 * writer.setup.margin;
  const naturalWidth = image.width * POINTS_PER_PIXEL;
  const naturalHeight = image.height * POINTS_PER_PIXEL;
  const scale = Math.min(1, maxWidth / naturalWidth, maxHeight / naturalHeight);
  writer.space(BODY_SIZE * 0.6);
  writer.drawImage(image, left, naturalWidth * scale, naturalHeight * scale);
}

function drawMarker(
  page: PDFPage,
  fonts: Fonts,
  marker: string,
  textLeft: number,
  bottom: number,
  lineHeight: number,
): void {
  const text = encodableText(marker, fonts.regular);
  const width = fonts.regular.widthOfTextAtSize(text, BODY_SIZE);
  const x = Math.max(textLeft - 5 - width, 4);
  const baseline = bottom + (lineHeight - BODY_SIZE * 0.7) / 2;
  page.drawText(text, { x, y: baseline, font: fonts.regular, size: BODY_SIZE, color: TEXT_COLOR });
}

function fontFor(run: TextRun, fonts: Fonts): PDFFont {
  if (run.code) return run.bold ? fonts.monoBold : fonts.mono;
  if (run.bold) return run.italic ? fonts.boldItalic : fonts.bold;
  return run.italic ? fonts.italic : fonts.regular;
}

/**
 * Breaks styled runs into lines no wider than `maxWidth`, breaking at spaces (a word in several
 * styles stays whole) and at `\n`; a word wider than a line is split between characters.
 */
function wrapRuns(runs: TextRun[], fonts: Fonts, size: number, maxWidth: number): Line[] {
  const lines: Line[] = [];
  let line: Line = [];
  let lineWidth = 0;
  let pendingSpace: Piece | undefined;
  let word: Piece[] = [];

  const endLine = (): void => {
    lines.push(line);
    line = [];
    lineWidth = 0;
    pendingSpace = undefined;
  };
  const placeWord = (): void => {
    if (word.length === 0) return;
    const wordWidth = sumWidths(word);
    const spaceWidth = pendingSpace?.width ?? 0;
    if (line.length > 0 && lineWidth + spaceWidth + wordWidth > maxWidth) endLine();
    if (line.length > 0 && pendingSpace) {
      line.push(pendingSpace);
      lineWidth += pendingSpace.width;
    }
    pendingSpace = undefined;
    for (const piece of word) {
      for (const fragment of splitToFit(piece, maxWidth - lineWidth, maxWidth)) {
        if (fragment.width > maxWidth - lineWidth && line.length > 0) endLine();
        line.push(fragment);
        lineWidth += fragment.width;
      }
    }
    word = [];
  };

  for (const run of runs) {
    const font = fontFor(run, fonts);
    const runSize = run.code ? size * (CODE_SIZE / BODY_SIZE) : size;
    for (const part of run.text.split(/(\n| +)/)) {
      if (part === '') continue;
      if (part === '\n') {
        placeWord();
        endLine();
      } else if (part.startsWith(' ')) {
        placeWord();
        if (line.length > 0) pendingSpace = measure(' ', font, runSize);
      } else {
        const text = encodableText(part, font);
        if (text !== '') word.push(measure(text, font, runSize));
      }
    }
  }
  placeWord();
  if (line.length > 0) endLine();
  return lines;
}

/** Lines of preformatted text: tabs expanded, every line kept, long lines wrapped at the width. */
function wrapPreformatted(text: string, font: PDFFont, size: number, maxWidth: number): Line[] {
  const lines: Line[] = [];
  for (const sourceLine of text.replace(/\r\n?/g, '\n').split('\n')) {
    const expanded = expandTabs(sourceLine);
    const encoded = encodableText(expanded, font);
    if (encoded === '') {
      lines.push([]);
      continue;
    }
    const piece = measure(encoded, font, size);
    for (const fragment of splitToFit(piece, maxWidth, maxWidth)) lines.push([fragment]);
  }
  return lines;
}

function expandTabs(line: string): string {
  let column = 0;
  let result = '';
  for (const char of line) {
    if (char === '\t') {
      const spaces = TAB_WIDTH - (column % TAB_WIDTH);
      result += ' '.repeat(spaces);
      column += spaces;
    } else {
      result += char;
      column++;
    }
  }
  return result;
}

/** Splits a piece so that the first fragment fits `firstWidth` and the others `maxWidth`. */
function splitToFit(piece: Piece, firstWidth: number, maxWidth: number): Piece[] {
  if (piece.width <= firstWidth) return [piece];
  const fragments: Piece[] = [];
  let available =
    firstWidth >= piece.font.widthOfTextAtSize(piece.text[0] ?? '', piece.size) ? firstWidth : maxWidth;
  let current = '';
  for (const char of piece.text) {
    const next = current + char;
    if (current !== '' && piece.font.widthOfTextAtSize(next, piece.size) > available) {
      fragments.push(measure(current, piece.font, piece.size));
      current = char;
      available = maxWidth;
    } else {
      current = next;
    }
  }
  if (current !== '') fragments.push(measure(current, piece.font, piece.size));
  return fragments;
}

function measure(text: string, font: PDFFont, size: number): Piece {
  return { text, font, size, width: font.widthOfTextAtSize(text, size) };
}

function sumWidths(pieces: Piece[]): number {
  return pieces.reduce((total, piece) => total + piece.width, 0);
}

/** Neighbouring pieces in the same font joined, so each stretch is drawn (and extracted) as one text. */
function groupByFont(line: Line): Piece[] {
  const groups: Piece[] = [];
  for (const piece of line) {
    const last = groups[groups.length - 1];
    if (last && last.font === piece.font && last.size === piece.size) {
      last.text += piece.text;
      last.width += piece.width;
    } else {
      groups.push({ ...piece });
    }
  }
  return groups;
}

function firstHeading(blocks: Block[]): string | undefined {
  const heading = blocks.find((block) => block.kind === 'heading');
  return heading?.kind === 'heading'
    ? runsText(heading.runs).replace(/\s+/g, ' ').trim() || undefined
    : undefined;
}
