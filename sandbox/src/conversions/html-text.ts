import { normalizeWhitespace, type Block, type TextRun } from './document.js';
import { decodeHtmlEntities } from './html-entities.js';

/** Elements whose content is never shown as text. */
const HIDDEN = new Set([
  'head',
  'script',
  'style',
  'template',
  'noscript',
  'svg',
  'math',
  'iframe',
  'object',
  'canvas',
  'select',
  'textarea',
]);
/** Elements that end the current paragraph and start a new one. */
const BLOCKS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hgroup',
  'hr',
  'html',
  'legend',
  'li',
  'main',
  'menu',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'tfoot',
  'thead',
  'tr',
  'ul',
]);
/** Table structure, which always ends a row's paragraph. */
const TABLE_PARTS = new Set(['table', 'thead', 'tbody', 'tfoot', 'tr', 'caption']);
const BOLD = new Set(['b', 'strong', 'th', 'dt']);
const ITALIC = new Set(['i', 'em', 'cite', 'var', 'dfn', 'address']);
const CODE = new Set(['code', 'kbd', 'samp', 'tt']);

interface ListState {
  ordered: boolean;
  next: number;
}

/** Walks the tags and text of an HTML document and collects its visible text as blocks. */
class HtmlBlockBuilder {
  readonly blocks: Block[] = [];
  private runs: TextRun[] = [];
  private heading: number | undefined;
  private marker: string | undefined;
  private readonly styleDepth = { bold: 0, italic: 0, code: 0 };
  private preDepth = 0;
  private preText = '';
  private quoteDepth = 0;
  private readonly lists: ListState[] = [];
  private rowHasCell = false;
  /** Open table cells: a paragraph inside one (as Word tables have) stays on the row's line. */
  private cellDepth = 0;

  text(raw: string): void {
    if (this.preDepth > 0) {
      this.preText += decodeHtmlEntities(raw);
      return;
    }
    // Source line breaks are plain whitespace in HTML; only <br> breaks a line. U+00A0 is kept.
    this.append(decodeHtmlEntities(raw.replace(/[ \t\n\r\f]+/g, ' ')));
  }

  private append(text: string): void {
    this.runs.push({
      text,
      ...(this.styleDepth.bold > 0 ? { bold: true } : {}),
      ...(this.styleDepth.italic > 0 ? { italic: true } : {}),
      ...(this.styleDepth.code > 0 ? { code: true } : {}),
    });
  }

  open(tag: string, attributes: string): void {
    if (tag === 'br') {
      if (this.preDepth > 0) this.preText += '\n';
      else this.append('\n');
      return;
    }
    if (tag === 'img') {
      const altText = attribute(attributes, 'alt');
      const picture = embeddedPicture(attribute(attributes, 'src'));
      if (picture) {
        this.flush();
        this.blocks.push({
          kind: 'image',
          data: picture,
          alt: decodeHtmlEntities(altText ?? ''),
          ...this.placement(),
        });
      } else if (altText) {
        this.text(decodeHtmlEntities(altText));
      }
      return;
    }
    if (tag === 'td' || tag === 'th') {
      if (this.rowHasCell) this.text(' | ');
      this.rowHasCell = true;
      this.cellDepth++;
    }
    this.breakBlock(tag);
    if (BLOCKS.has(tag) && tag !== 'hr' && isPageBreak(attributes)) {
      this.blocks.push({ kind: 'page-break', ...this.placement() });
    }
    this.adjustStyle(tag, 1);
    switch (tag) {
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
        this.heading = Number(tag[1]);
        break;
      case 'pre':
        this.preDepth++;
        break;
      case 'blockquote':
        this.quoteDepth++;
        break;
      case 'ul':
      case 'ol':
      case 'menu': {
        const start = tag === 'ol' ? Number(/\bstart\s*=\s*["']?(-?\d+)/i.exec(attributes)?.[1] ?? 1) : 1;
        this.lists.push({ ordered: tag === 'ol', next: start });
        break;
      }
      case 'li': {
        const list = this.lists[this.lists.length - 1];
        this.marker = list?.ordered ? `${list.next++}.` : '•';
        break;
      }
      case 'tr':
        this.rowHasCell = false;
        break;
      case 'hr':
        this.blocks.push({ kind: isPageBreak(attributes) ? 'page-break' : 'rule', ...this.placement() });
        break;
    }
  }

  close(tag: string): void {
    if (tag === 'td' || tag === 'th') this.cellDepth = Math.max(0, this.cellDepth - 1);
    this.breakBlock(tag);
    this.adjustStyle(tag, -1);
    switch (tag) {
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
        this.heading = undefined;
        break;
      case 'pre':
        this.preDepth = Math.max(0, this.preDepth - 1);
        break;
      case 'blockquote':
        this.quoteDepth = Math.max(0, this.quoteDepth - 1);
        break;
      case 'ul':
      case 'ol':
      case 'menu':
        this.lists.pop();
        break;
    }
  }

  /** A block element ends the paragraph, except inside a table cell, where it only separates words. */
  private breakBlock(tag: string): void {
    if (!BLOCKS.has(tag)) return;
    if (this.cellDepth > 0 && !TABLE_PARTS.has(tag)) this.append(' ');
    else this.flush();
  }

  flush(): void {
    const placement = this.placement();
    if (this.preText !== '') {
      const text = this.preText.replace(/^\r?\n/, '').replace(/\s+$/, '');
      this.preText = '';
      if (text !== '') this.blocks.push({ kind: 'preformatted', text, style: 'code', ...placement });
      this.marker = undefined;
    }
    const runs = normalizeWhitespace(this.runs);
    this.runs = [];
    if (runs.length === 0) return;
    this.marker = undefined;
    if (this.heading !== undefined)
      this.blocks.push({ kind: 'heading', level: this.heading, runs, ...placement });
    else this.blocks.push({ kind: 'paragraph', runs, ...placement });
  }

  private placement(): { indent: number; quote: number; marker?: string } {
    return {
      indent: this.lists.length + this.quoteDepth,
      quote: this.quoteDepth,
      ...(this.marker !== undefined ? { marker: this.marker } : {}),
    };
  }

  private adjustStyle(tag: string, delta: 1 | -1): void {
    if (BOLD.has(tag)) this.styleDepth.bold = Math.max(0, this.styleDepth.bold + delta);
    if (ITALIC.has(tag)) this.styleDepth.italic = Math.max(0, this.styleDepth.italic + delta);
    if (CODE.has(tag)) this.styleDepth.code = Math.max(0, this.styleDepth.code + delta);
  }
}

/**
 * Whether an element starts a new page: the `page-break` class (mammoth's mapped Word page breaks)
 * or an inline `page-break-before: always` / `break-before: page` style, as print CSS writes it.
 */
function isPageBreak(attributes: string): boolean {
  const classes = (attribute(attributes, 'class') ?? '').split(/\s+/);
  const style = (attribute(attributes, 'style') ?? '').toLowerCase().replace(/\s+/g, '');
  return (
    classes.includes('page-break') ||
    style.includes('page-break-before:always') ||
    style.includes('break-before:page')
  );
}

/** An attribute's raw value (quoted or not), or `undefined` when absent. */
function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(
    attributes,
  );
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/**
 * The bytes of a picture carried in the document as a base64 `data:image/…` URI (as mammoth writes
 * a Word file's images); pictures elsewhere are never fetched. Raster formats only: an SVG may
 * reference other files, which the renderer would then read.
 */
function embeddedPicture(src: string | undefined): Buffer | undefined {
  const match = /^\s*data:image\/(?:png|jpeg|jpg|gif|webp|tiff|avif);base64,([a-z0-9+/=\s]+)$/i.exec(
    src ?? '',
  );
  if (!match?.[1]) return undefined;
  const data = Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
  return data.length > 0 ? data : undefined;
}

const TOKEN =
  /<!--[\s\S]*?(?:-->|$)|<![^>]*>|<\?[^>]*>|<(\/?)([A-Za-z][A-Za-z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;

/**
 * Extracts the visible text of an HTML document as blocks: headings, paragraphs, list items with
 * markers, preformatted text, rules, table rows (cells joined by ` | `), bold/italic/code runs,
 * entities decoded. Scripts, styles and the head are skipped. Tolerant of unclosed tags.
 */
export function htmlToBlocks(html: string): Block[] {
  const builder = new HtmlBlockBuilder();
  const lowerHtml = html.toLowerCase();
  const tokens = new RegExp(TOKEN.source, 'g');
  let position = 0;
  for (let match = tokens.exec(html); match !== null; match = tokens.exec(html)) {
    const [whole, slash, rawName, attributes] = match;
    if (match.index > position) builder.text(html.slice(position, match.index));
    position = match.index + whole.length;
    const name = rawName?.toLowerCase();
    if (name === undefined) continue;
    if (slash) {
      builder.close(name);
    } else if (HIDDEN.has(name)) {
      const end = lowerHtml.indexOf(`</${name}`, position);
      const afterEnd = end === -1 ? -1 : html.indexOf('>', end);
      position = afterEnd === -1 ? html.length : afterEnd + 1;
      tokens.lastIndex = position;
    } else {
      builder.open(name, attributes ?? '');
    }
  }
  if (position < html.length) builder.text(html.slice(position));
  builder.flush();
  return builder.blocks;
}

/** The document title from `<title>`, entities decoded; `undefined` when absent or blank. */
export function htmlTitle(html: string): string | undefined {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const text = title === undefined ? '' : decodeHtmlEntities(title).replace(/\s+/g, ' ').trim();
  return text === '' ? undefined : text;
}
