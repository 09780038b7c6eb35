import { lexer, parse, type Token, type Tokens } from 'marked';
import { normalizeWhitespace, runsText, type Block, type BlockPlacement, type TextRun } from './document.js';
import { decodeHtmlEntities } from './html-entities.js';
import { htmlToBlocks } from './html-text.js';

type RunStyle = Pick<TextRun, 'bold' | 'italic' | 'code'>;

/**
 * Turns Markdown (CommonMark + GFM, via `marked`'s lexer) into blocks: headings, paragraphs with
 * bold/italic/code runs, nested lists with markers and task boxes, quotes, code blocks, rules,
 * tables (one row per paragraph, cells joined by ` | `) and embedded HTML's text.
 */
export function markdownToBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  appendBlocks(lexer(markdown), { indent: 0, quote: 0 }, blocks);
  return blocks;
}

function appendBlocks(tokens: Token[], placement: BlockPlacement, blocks: Block[]): void {
  for (const token of tokens) appendBlock(token, placement, blocks);
}

function appendBlock(token: Token, placement: BlockPlacement, blocks: Block[]): void {
  const at = (): BlockPlacement => ({ ...placement });
  switch (token.type) {
    case 'heading': {
      const heading = token as Tokens.Heading;
      pushRuns(blocks, inlineRuns(heading.tokens), (runs) => ({
        kind: 'heading',
        level: heading.depth,
        runs,
        ...at(),
      }));
      break;
    }
    case 'paragraph':
    case 'text': {
      const paragraph = token as Tokens.Paragraph | Tokens.Text;
      const runs = paragraph.tokens
        ? inlineRuns(paragraph.tokens)
        : [{ text: decodeHtmlEntities(paragraph.text) }];
      pushRuns(blocks, runs, (normalized) => ({ kind: 'paragraph', runs: normalized, ...at() }));
      break;
    }
    case 'code':
      blocks.push({ kind: 'preformatted', text: (token as Tokens.Code).text, style: 'code', ...at() });
      break;
    case 'hr':
      blocks.push({ kind: 'rule', ...at() });
      break;
    case 'blockquote':
      appendBlocks((token as Tokens.Blockquote).tokens, nested(placement, { quote: 1 }), blocks);
      break;
    case 'list':
      appendList(token as Tokens.List, placement, blocks);
      break;
    case 'table':
      appendTable(token as Tokens.Table, placement, blocks);
      break;
    case 'html':
      for (const block of htmlToBlocks((token as Tokens.HTML).text)) {
        blocks.push({
          ...block,
          indent: block.indent + placement.indent,
          quote: block.quote + placement.quote,
        });
      }
      break;
    default:
      // `space` and link definitions (`def`) have no visible text; unknown extension tokens are skipped.
      break;
  }
}

function appendList(list: Tokens.List, placement: BlockPlacement, blocks: Block[]): void {
  let number = typeof list.start === 'number' ? list.start : 1;
  for (const item of list.items) {
    const box = `[${item.checked ? 'x' : ' '}]`;
    const ordinal = list.ordered ? `${number++}.` : undefined;
    const marker = item.task ? (ordinal ? `${ordinal} ${box}` : box) : (ordinal ?? '•');
    const itemBlocks: Block[] = [];
    const content = item.tokens.filter((token) => token.type !== 'checkbox');
    appendBlocks(content, nested(placement, { indent: 1 }), itemBlocks);
    const first = itemBlocks[0];
    if (first && first.indent === placement.indent + 1) first.marker = marker;
    else itemBlocks.unshift({ kind: 'paragraph', runs: [], ...nested(placement, { indent: 1 }), marker });
    blocks.push(...itemBlocks);
  }
}

function appendTable(table: Tokens.Table, placement: BlockPlacement, blocks: Block[]): void {
  const rowRuns = (cells: Tokens.TableCell[], style: RunStyle): TextRun[] =>
    cells.flatMap((cell, index) => [
      ...(index > 0 ? [{ text: ' | ' }] : []),
      ...inlineRuns(cell.tokens, style),
    ]);
  pushRuns(blocks, rowRuns(table.header, { bold: true }), (runs) => ({
    kind: 'paragraph',
    runs,
    ...placement,
  }));
  for (const row of table.rows) {
    pushRuns(blocks, rowRuns(row, {}), (runs) => ({ kind: 'paragraph', runs, ...placement }));
  }
}

function pushRuns(blocks: Block[], runs: TextRun[], make: (runs: TextRun[]) => Block): void {
  const normalized = normalizeWhitespace(runs);
  if (normalized.length > 0) blocks.push(make(normalized));
}

function nested(placement: BlockPlacement, add: { indent?: number; quote?: number }): BlockPlacement {
  const quote = placement.quote + (add.quote ?? 0);
  return { indent: placement.indent + (add.indent ?? 0) + (add.quote ?? 0), quote };
}

/** Inline tokens to styled runs; inline HTML `<b>`, `<i>`, `<code>` and `<br>` tags are honoured. */
function inlineRuns(tokens: Token[], style: RunStyle = {}): TextRun[] {
  const runs: TextRun[] = [];
  const htmlStyle = { bold: 0, italic: 0, code: 0 };
  const current = (): RunStyle => ({
    ...style,
    ...(htmlStyle.bold > 0 ? { bold: true } : {}),
    ...(htmlStyle.italic > 0 ? { italic: true } : {}),
    ...(htmlStyle.code > 0 ? { code: true } : {}),
  });
  for (const token of tokens) {
    switch (token.type) {
      case 'text': {
        const text = token as Tokens.Text;
        if (text.tokens) runs.push(...inlineRuns(text.tokens, current()));
        else runs.push({ text: decodeHtmlEntities(text.text).replace(/\n/g, ' '), ...current() });
        break;
      }
      case 'escape':
        runs.push({ text: (token as Tokens.Escape).text, ...current() });
        break;
      case 'strong':
        runs.push(...inlineRuns((token as Tokens.Strong).tokens, { ...current(), bold: true }));
        break;
      case 'em':
        runs.push(...inlineRuns((token as Tokens.Em).tokens, { ...current(), italic: true }));
        break;
      case 'del':
      case 'link':
        runs.push(...inlineRuns((token as Tokens.Del | Tokens.Link).tokens, current()));
        break;
      case 'codespan':
        runs.push({ text: (token as Tokens.Codespan).text, ...current(), code: true });
        break;
      case 'br':
        runs.push({ text: '\n' });
        break;
      case 'image': {
        const alt = (token as Tokens.Image).text;
        if (alt) runs.push({ text: alt, ...current(), italic: true });
        break;
      }
      case 'html': {
        const tag = /^<(?<slash>\/?)(?<name>[a-z][a-z0-9]*)/i.exec((token as Tokens.Tag).text)?.groups;
        if (!tag) break;
        const name = (tag['name'] ?? '').toLowerCase();
        const delta = tag['slash'] ? -1 : 1;
        if (name === 'br') runs.push({ text: '\n' });
        else if (name === 'b' || name === 'strong') htmlStyle.bold = Math.max(0, htmlStyle.bold + delta);
        else if (name === 'i' || name === 'em') htmlStyle.italic = Math.max(0, htmlStyle.italic + delta);
        else if (name === 'code' || name === 'kbd') htmlStyle.code = Math.max(0, htmlStyle.code + delta);
        break;
      }
      default: {
        const generic = token as Tokens.Generic;
        if (generic.tokens) runs.push(...inlineRuns(generic.tokens, current()));
        else if (typeof generic['text'] === 'string') runs.push({ text: generic['text'], ...current() });
      }
    }
  }
  return runs;
}

/** Renders Markdown to a complete, standalone HTML document (GFM, via `marked`). */
export function markdownToHtml(markdown: string, name: string): string {
  const body = parse(markdown, { async: false, gfm: true });
  const title = markdownToBlocks(markdown).find((block) => block.kind === 'heading');
  const titleText = title?.kind === 'heading' ? runsText(title.runs) : name.replace(/\.[^.]*$/, '');
  return `<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(titleText)}</title>\n</head>\n<body>\n${body}</body>\n</html>\n`;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => HTML_ESCAPES[char] ?? char);
}
