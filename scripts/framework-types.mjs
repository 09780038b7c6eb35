// Writes the framework typings shipped in dist/types, generated from custom-elements.json (run by
// `npm run build`, after tsc has written dist/types/index.d.ts, which they import):
// - jsx.d.ts: framework-neutral JSX types (`CustomElements`, `ConvertUploaderProps`, typed event
//   handlers `onconvert-success` …, `CustomCssProperties`), by @wc-toolkit/jsx-types, for Preact, Solid,
//   Stencil … to plug into their JSX namespace. The generator also augments a dozen JSX namespaces
//   (React's, Preact's, the global one …) from that file; those blocks are cut, so that importing the
//   types changes nothing by itself and React gets its own file:
// - react.d.ts: React 19's `JSX.IntrinsicElements['convert-uploader']`: React's own HTML props (ref
//   objects, style, className …) and the generated props; `import type {} from 'convert-uploader/react'`;
// - vue.d.ts: Vue 3's `GlobalComponents['convert-uploader']` with props and `@convert-*` events, for
//   vue-tsc and Volar; `import type {} from 'convert-uploader/vue'`.
// The Vue file is written here rather than by custom-element-vuejs-integration (1.4), whose output wraps
// event types twice (`CustomEvent<CustomEvent<…>>`), leaves the detail types unimported, offers read-only
// getters as props and declares a global `JSX.IntrinsicElements` that leaks into React projects.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateJsxTypes } from '@wc-toolkit/jsx-types';

const outdir = 'dist/types';
const entry = './index.js';
const header = '// Generated from custom-elements.json by scripts/framework-types.mjs: do not edit.\n';

const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
const elements = manifest.modules
  .flatMap((module) => module.declarations ?? [])
  .filter((declaration) => declaration.customElement && declaration.tagName);
if (elements.length === 0) throw new Error('custom-elements.json declares no custom element.');

mkdirSync(outdir, { recursive: true });

// The generator edits the manifest it is given: it gets its own copy. Inherited members (the form field API of
// the element's base class) are typed as the element's own, and classes without a tag are left out: the base
// class is not part of the public API.
const ownMembers = structuredClone(manifest);
for (const module of ownMembers.modules) {
  module.declarations = (module.declarations ?? []).filter(
    (declaration) => declaration.kind !== 'class' || declaration.tagName,
  );
}
for (const declaration of ownMembers.modules.flatMap((module) => module.declarations ?? [])) {
  if (declaration.customElement) delete declaration.superclass;
  for (const member of [...(declaration.members ?? []), ...(declaration.attributes ?? [])])
    delete member.inheritedFrom;
}
generateJsxTypes(ownMembers, {
  outdir,
  fileName: 'jsx.d.ts',
  globalTypePath: entry,
  stronglyTypedEvents: true,
});
const jsxFile = join(outdir, 'jsx.d.ts');
const jsx = readFileSync(jsxFile, 'utf8');
const augmentations = jsx.search(/^declare (module "[^"]+"|global) \{/m);
const tail = augmentations < 0 ? '' : jsx.slice(augmentations);
// Only `declare module "…" { … }` and `declare global { … }` blocks may be cut: fail on anything else.
const blocks = /^declare (?:module "[^"]+"|global) \{\n(?: {2}.*\n| *\}\n)*?\}\n*/gm;
if (augmentations < 0 || tail.replace(blocks, '').trim() !== '') {
  throw new Error(`${jsxFile}: the generator's output changed shape; review scripts/framework-types.mjs.`);
}
writeFileSync(jsxFile, `${header}${jsx.slice(0, augmentations).trimEnd()}\n`);

/** Names a type text refers to that the package exports (`CustomEvent<ConvertAddedDetail>` → ConvertAddedDetail). */
function exportedTypeNames(text) {
  const builtIns = new Set([
    'CustomEvent',
    'Event',
    'Record',
    'Readonly',
    'Partial',
    'Array',
    'ReadonlyArray',
  ]);
  return [...(text ?? '').matchAll(/\b[A-Z][A-Za-z0-9]*\b/g)]
    .map(([name]) => name)
    .filter((name) => !builtIns.has(name));
}

const pascal = (name) => name.replace(/(^|-)([a-z0-9])/g, (_match, _dash, letter) => letter.toUpperCase());
const comment = (text, indent) =>
  text ? `${indent}/** ${text.replaceAll('*/', '*\\/').replace(/\s*\n\s*/g, ' ')} */\n` : '';

function reactTypes() {
  const lines = elements.map(
    (element) =>
      `      '${element.tagName}': DetailedHTMLProps<HTMLAttributes<${element.name}>, ${element.name}> &\n        ${element.name}Props;\n`,
  );
  const names = elements.flatMap((element) => [element.name]);
  return `${header}// React 19 sets properties and listens to custom events on custom elements: this types them.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { ${names.join(', ')} } from '${entry}';
import type { CustomCssProperties, ${elements.map((element) => `${element.name}Props`).join(', ')} } from './jsx.js';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
${lines.join('')}    }
  }
  /** The element's custom properties in \`style={{ … }}\`. */
  interface CSSProperties extends CustomCssProperties {}
}
`;
}

function vueTypes() {
  const imports = new Set(['DefineComponent']);
  const classImports = new Set();
  const blocks = [];
  const components = [];
  for (const element of elements) {
    classImports.add(element.name);
    const props = (element.members ?? []).filter(
      (member) =>
        member.kind === 'field' &&
        !member.static &&
        !member.readonly &&
        (member.privacy ?? 'public') === 'public',
    );
    const eventLines = (element.events ?? []).map((event) => {
      for (const name of exportedTypeNames(event.type?.text)) classImports.add(name);
      const type = event.type?.text ?? 'CustomEvent';
      return `${comment(`\`${event.name}\`: ${event.description ?? ''}`, '  ')}  on${pascal(event.name)}?: (event: ${type} & { target: ${element.name} }) => void;\n`;
    });
    const propLines = props.map(
      (member) =>
        `${comment(member.description, '  ')}  ${member.name}?: ${element.name}['${member.name}'];\n`,
    );
    // Attributes documented with `@attr` that no property reflects (such as `lang`): strings.
    for (const attribute of (element.attributes ?? []).filter((candidate) => !candidate.fieldName)) {
      propLines.push(`${comment(attribute.description, '  ')}  '${attribute.name}'?: string;\n`);
    }
    blocks.push(
      `/** Props and events of \`<${element.tagName}>\` in Vue templates (\`to="pdf"\`, \`:parameters="…"\`, \`@convert-success="…"\`). */\nexport interface ${element.name}VueProps {\n${propLines.join('')}${eventLines.join('')}}\n`,
    );
    components.push(
      `${comment(element.summary ?? element.description, '    ')}    '${element.tagName}': DefineComponent<${element.name}VueProps>;\n`,
    );
  }
  return `${header}import type { ${[...imports].join(', ')} } from 'vue';
import type { ${[...classImports].join(', ')} } from '${entry}';

${blocks.join('\n')}
declare module 'vue' {
  interface GlobalComponents {
${components.join('')}  }
}
`;
}

writeFileSync(join(outdir, 'react.d.ts'), reactTypes());
writeFileSync(join(outdir, 'vue.d.ts'), vueTypes());
console.log(
  `framework types: ${['jsx.d.ts', 'react.d.ts', 'vue.d.ts'].map((file) => join(outdir, file)).join(', ')}`,
);
