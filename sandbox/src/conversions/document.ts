/** A stretch of text in one style. A `\n` inside `text` is a hard line break. */
export interface TextRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
}

/** Where a block sits: list nesting and quotes indent it; a list item carries its marker. */
export interface BlockPlacement {
  /** Indentation steps (list nesting, quotes). */
  indent: number;
  /** Quote depth, drawn as bars in the margin. */
  quote: number;
  /** List marker drawn in the hanging indent (`•`, `3.`, `[x]`). */
  marker?: string;
}

/** A structural block of a text document, ready to be laid out. */
export type Block =
  | ({ kind: 'heading'; level: number; runs: TextRun[] } & BlockPlacement)
  | ({ kind: 'paragraph'; runs: TextRun[] } & BlockPlacement)
  /** `code` is boxed and small (code blocks); `plain` is a whole plain-text file. */
  | ({ kind: 'preformatted'; text: string; style: 'code' | 'plain' } & BlockPlacement)
  | ({ kind: 'rule' } & BlockPlacement)
  /** What follows starts on a new page (a Word page break, CSS `break-before: page`). */
  | ({ kind: 'page-break' } & BlockPlacement)
  /** A picture carried in the document itself (`data:` URI); `alt` stands in when it cannot be drawn. */
  | ({ kind: 'image'; data: Buffer; alt: string } & BlockPlacement);

/** Merges neighbouring runs of the same style and drops empty ones. */
export function mergeRuns(runs: TextRun[]): TextRun[] {
  const merged: TextRun[] = [];
  for (const run of runs) {
    if (run.text === '') continue;
    const last = merged[merged.length - 1];
    if (last && !!last.bold === !!run.bold && !!last.italic === !!run.italic && !!last.code === !!run.code) {
      last.text += run.text;
    } else {
      merged.push({ ...run });
    }
  }
  return merged;
}

/** Collapses runs of whitespace (except hard breaks) and trims the ends of a paragraph. */
export function normalizeWhitespace(runs: TextRun[]): TextRun[] {
  const collapsed = runs.map((run) => ({ ...run, text: run.text.replace(/[ \t\r\f\v]+/g, ' ') }));
  let previousEndsInSpace = true;
  for (const run of collapsed) {
    if (previousEndsInSpace) run.text = run.text.replace(/^ +/, '');
    run.text = run.text.replace(/ *\n */g, '\n');
    if (run.text !== '') previousEndsInSpace = /[ \n]$/.test(run.text);
  }
  for (const run of [...collapsed].reverse()) {
    run.text = run.text.replace(/[ \n]+$/, '');
    if (run.text !== '') break;
  }
  return mergeRuns(collapsed);
}

/** The plain text of some runs. */
export function runsText(runs: TextRun[]): string {
  return runs.map((run) => run.text).join('');
}
