// Writes README.md's reference tables from custom-elements.json, between marker comments such as
// `<!-- manifest:attributes:start -->` and `<!-- manifest:attributes:end -->`, formatted by Prettier.
// `npm run docs` writes them; `npm run check:docs` (CI) fails when README.md is not what it would write.
import { readFileSync, writeFileSync } from 'node:fs';
import * as prettier from 'prettier';

const readmePath = 'README.md';
const check = process.argv.includes('--check');

const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
const element = manifest.modules
  .flatMap((module) => module.declarations ?? [])
  .find((declaration) => declaration.tagName === 'convert-uploader');
if (!element) throw new Error('custom-elements.json has no <convert-uploader>.');

/** One line of table cell: newlines folded, pipes escaped. */
const cell = (text) =>
  (text ?? '')
    .replace(/\s*\n\s*/g, ' ')
    .replaceAll('|', '\\|')
    .trim();
const code = (text) => (text ? `\`${cell(text)}\`` : '');
const table = (head, rows) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

const publicMembers = (element.members ?? []).filter(
  (member) => (member.privacy ?? 'public') === 'public' && !member.static,
);
const attributeOf = (field) =>
  (element.attributes ?? []).find((attribute) => attribute.fieldName === field.name);

const sections = {
  attributes: () => {
    const fields = publicMembers.filter((member) => member.kind === 'field');
    const withAttribute = fields.filter((field) => attributeOf(field));
    const propertyOnly = fields.filter((field) => !attributeOf(field));
    // Attributes documented with `@attr` that no property reflects (such as `lang`).
    const attributeOnly = (element.attributes ?? []).filter((attribute) => !attribute.fieldName);
    return table(
      ['attribute', 'property', 'type', 'default', 'description'],
      [
        ...withAttribute.map((field) => [
          code(attributeOf(field)?.name),
          code(field.name),
          code(field.type?.text),
          code(field.default),
          cell(field.description),
        ]),
        ...attributeOnly.map((attribute) => [
          code(attribute.name),
          '',
          code(attribute.type?.text),
          code(attribute.default),
          `${cell(attribute.description)} Attribute only.`,
        ]),
        ...propertyOnly.map((field) => [
          '',
          code(field.name),
          code(field.type?.text),
          code(field.default),
          `${cell(field.description)}${field.readonly ? ' Read-only.' : ''} Property only.`,
        ]),
      ],
    );
  },
  methods: () =>
    table(
      ['method', 'description'],
      publicMembers
        .filter((member) => member.kind === 'method' && !member.name.endsWith('Callback'))
        .map((method) => {
          const parameters = (method.parameters ?? [])
            .map(
              (parameter) =>
                `${parameter.name}${parameter.optional ? '?' : ''}: ${parameter.type?.text ?? 'unknown'}`,
            )
            .join(', ');
          return [
            code(`${method.name}(${parameters}): ${method.return?.type?.text ?? 'void'}`),
            cell(method.description),
          ];
        }),
    ),
  events: () =>
    table(
      ['event', 'type', 'description'],
      (element.events ?? []).map((event) => [
        code(event.name),
        code(event.type?.text),
        cell(event.description),
      ]),
    ),
  parts: () =>
    table(
      ['part', 'description'],
      (element.cssParts ?? []).map((part) => [code(part.name), cell(part.description)]),
    ),
  'css-properties': () =>
    table(
      ['custom property', 'default', 'description'],
      (element.cssProperties ?? []).map((property) => [
        code(property.name),
        code(property.default),
        cell(property.description),
      ]),
    ),
  slots: () =>
    (element.slots ?? []).length === 0
      ? 'The element has no slots: it renders its own content, themed through the parts and custom properties above.'
      : table(
          ['slot', 'description'],
          element.slots.map((slot) => [slot.name ? code(slot.name) : '(default)', cell(slot.description)]),
        ),
};

const readme = readFileSync(readmePath, 'utf8');
let next = readme;
for (const [name, render] of Object.entries(sections)) {
  const start = `<!-- manifest:${name}:start -->`;
  const end = `<!-- manifest:${name}:end -->`;
  const from = next.indexOf(start);
  const to = next.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${readmePath} lacks the markers ${start} … ${end}.`);
  const generated = `${start}\n<!-- Generated from custom-elements.json by \`npm run docs\`: edit the JSDoc, not this table. -->\n\n${render()}\n\n${end}`;
  next = next.slice(0, from) + generated + next.slice(to + end.length);
}
const options = (await prettier.resolveConfig(readmePath)) ?? {};
next = await prettier.format(next, { ...options, filepath: readmePath });

if (check) {
  if (next !== readme) {
    console.error(`${readmePath}'s reference tables are stale: run \`npm run docs\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${readmePath}'s reference tables match custom-elements.json.`);
} else {
  writeFileSync(readmePath, next);
  console.log(`${readmePath}: reference tables written from custom-elements.json.`);
}
