// Writes the demo's sample files (the landing page's "add a sample" buttons): a Word document, a photo-like
// picture and a Markdown file, all made here, from nothing but this script (no third-party content).
// Run it again after editing: `node demo/samples/make-samples.mjs`. The files are committed; keep them small.
import { writeFile } from 'node:fs/promises';
import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx';
import sharp from 'sharp';

const here = new URL('./', import.meta.url);

/** A short quarterly report: headings, paragraphs with bold and italic, a list and a table. */
async function wordDocument() {
  const cell = (text, bold = false) =>
    new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });
  const row = (cells, bold = false) => new TableRow({ children: cells.map((text) => cell(text, bold)) });
  const document = new Document({
    creator: 'convert-uploader demo',
    title: 'Quarterly report',
    sections: [
      {
        children: [
          new Paragraph({ text: 'Quarterly report', heading: HeadingLevel.TITLE }),
          new Paragraph({
            children: [
              new TextRun('A sample Word document for the '),
              new TextRun({ text: 'convert-uploader', bold: true }),
              new TextRun(' demo. '),
              new TextRun({ text: 'Every figure in it is made up.', italics: true }),
            ],
          }),
          new Paragraph({ text: 'Highlights', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: 'Revenue grew in every region.', bullet: { level: 0 } }),
          new Paragraph({ text: 'Two new offices opened, in Lisbon and in Osaka.', bullet: { level: 0 } }),
          new Paragraph({ text: 'Support answered 94% of questions within a day.', bullet: { level: 0 } }),
          new Paragraph({ text: 'Revenue by region', heading: HeadingLevel.HEADING_1 }),
          new Table({
            rows: [
              row(['Region', 'Q1', 'Q2', 'Change'], true),
              row(['Europe', '1.20 M', '1.34 M', '+12%']),
              row(['Americas', '0.96 M', '1.02 M', '+6%']),
              row(['Asia Pacific', '0.58 M', '0.71 M', '+22%']),
            ],
          }),
          new Paragraph({ text: 'Next quarter', heading: HeadingLevel.HEADING_1 }),
          new Paragraph(
            'We will open the self-service portal to every customer and publish the first accessibility report.',
          ),
          new Paragraph({
            alignment: AlignmentType.RIGHT,
            children: [new TextRun({ text: '— The team', italics: true })],
          }),
        ],
      },
    ],
  });
  await writeFile(new URL('quarterly-report.docx', here), await Packer.toBuffer(document));
}

/** A landscape at dusk, drawn as SVG and written as a JPEG, with a little grain so it compresses like a photo. */
async function photo() {
  const width = 960;
  const height = 640;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 960 640">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#1d2b64"/><stop offset="0.55" stop-color="#c9578c"/><stop offset="1" stop-color="#f8b26a"/>
    </linearGradient>
    <radialGradient id="sun" cx="0.5" cy="0.5" r="0.5">
      <stop offset="0" stop-color="#fff6d5"/><stop offset="0.6" stop-color="#ffd27a"/><stop offset="1" stop-color="#ffd27a" stop-opacity="0"/>
    </radialGradient>
    <linearGradient id="lake" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#e89a74"/><stop offset="1" stop-color="#2a2f5a"/>
    </linearGradient>
  </defs>
  <rect width="960" height="640" fill="url(#sky)"/>
  <circle cx="610" cy="380" r="120" fill="url(#sun)"/>
  <path d="M0 420 L120 300 L210 360 L330 220 L450 350 L560 270 L700 380 L820 290 L960 360 L960 460 L0 460 Z" fill="#3b2f5c"/>
  <path d="M0 450 L160 360 L280 420 L420 330 L540 410 L680 350 L820 420 L960 380 L960 470 L0 470 Z" fill="#24214a"/>
  <rect y="460" width="960" height="180" fill="url(#lake)"/>
  <g fill="#fff3d6" opacity="0.55">
    <rect x="560" y="480" width="100" height="3" rx="1.5"/><rect x="575" y="500" width="70" height="3" rx="1.5"/>
    <rect x="590" y="522" width="40" height="3" rx="1.5"/>
  </g>
  <path d="M0 600 Q240 560 480 610 T960 590 L960 640 L0 640 Z" fill="#141634"/>
</svg>`;
  const grain = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: 128, g: 128, b: 128 },
      noise: { type: 'gaussian', mean: 128, sigma: 10 },
    },
  })
    .png()
    .toBuffer();
  await sharp(Buffer.from(svg))
    .composite([{ input: grain, blend: 'soft-light' }])
    .jpeg({ quality: 72, mozjpeg: true })
    .withMetadata({
      exif: { IFD0: { ImageDescription: 'Dusk over a lake (drawn for the convert-uploader demo)' } },
    })
    .toFile(new URL('dusk-over-the-lake.jpg', here).pathname);
}

const markdown = `# Release notes

A sample Markdown file for the **convert-uploader** demo: drop it, pick a format, get the converted file.

## What's new

- Files upload **straight to the service**, never through your server.
- Credentials are short-lived and come from *your* token endpoint.
- Results can be converted again to another format without a second upload.

## Formats

| From            | To                   |
| --------------- | -------------------- |
| Word, Excel     | PDF, PNG, JPEG       |
| Markdown, HTML  | PDF                  |
| JPEG, PNG, WebP | PDF, PNG, JPEG, WebP |

## Try it

\`\`\`html
<convert-uploader provider="convertapi" token-endpoint="/api/convert-token" to="pdf"></convert-uploader>
\`\`\`

> Every figure and name in this file is made up.
`;

await wordDocument();
await photo();
await writeFile(new URL('release-notes.md', here), markdown);
