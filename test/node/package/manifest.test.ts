// custom-elements.json is the element's published API (editors, the generated React/Vue types, the
// README's reference tables): it must describe everything the element really has, and everything
// design.md promises. The element's real properties come from the class itself (imported in Node,
// through Lit's server build), its parts and custom properties from the templates and styles.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import ts from 'typescript';
import { ConvertEvents, ConvertUploader } from '../../../src/index.js';

// The contract of docs/design.md §2, copied: the manifest must carry all of it.
const contract = {
  attributes: [
    'provider',
    'token-endpoint',
    'token-credentials',
    'to',
    'formats',
    'accept',
    'max-file-size',
    'max-files',
    'multiple',
    'concurrency',
    'auto-start',
    'api-base',
    'sync-base',
    'sandbox',
    'max-token-lifetime',
    'name',
    'disabled',
    'lang',
  ],
  propertiesOnly: ['tokenProvider', 'parameters', 'strings', 'items'],
  methods: ['addFiles', 'start', 'cancel', 'retry', 'remove', 'clear'],
  events: {
    'convert-added': 'ConvertAddedDetail',
    'convert-rejected': 'ConvertRejectedDetail',
    'convert-progress': 'ConvertProgressDetail',
    'convert-success': 'ConvertSuccessDetail',
    'convert-error': 'ConvertErrorDetail',
    'convert-complete': 'ConvertCompleteDetail',
  } as Record<string, string>,
  parts: ['base', 'dropzone', 'button', 'file-list', 'file', 'progress', 'result', 'error', 'format-picker'],
};

/**
 * What the element (src/element, src/index.ts) does not yet give the manifest, each with the fix: the
 * tests below expect exactly these gaps, so they fail both on a new gap and when one is fixed (then
 * delete its line here).
 */
const knownGaps: string[] = [];

interface Member {
  kind: string;
  name: string;
  privacy?: string;
  static?: boolean;
  readonly?: boolean;
  description?: string;
  type?: { text: string };
}
interface Declaration {
  kind: string;
  name: string;
  tagName?: string;
  customElement?: boolean;
  members?: Member[];
  attributes?: { name: string; fieldName?: string; type?: { text: string }; description?: string }[];
  events?: { name: string; type?: { text: string }; description?: string }[];
  cssParts?: { name: string; description?: string }[];
  cssProperties?: { name: string; default?: string; description?: string }[];
  slots?: { name: string; description?: string }[];
}

const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8')) as {
  modules: { path: string; declarations?: Declaration[]; exports?: { kind: string; name: string }[] }[];
};
const element = manifest.modules
  .flatMap((module) => module.declarations ?? [])
  .find((declaration) => declaration.tagName === 'convert-uploader');
const publicMembers = (element?.members ?? []).filter(
  (member) => (member.privacy ?? 'public') === 'public' && !member.static,
);

/** Sources of the element's templates and styles. */
function elementSources(): Map<string, string> {
  const sources = new Map<string, string>();
  for (const entry of readdirSync('src/element', { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) {
      const path = join(entry.parentPath, entry.name);
      sources.set(path, readFileSync(path, 'utf8'));
    }
  }
  return sources;
}

const gaps: string[] = [];
/** Records a gap, unless it is one of `knownGaps` (which the last test accounts for). */
function check(ok: boolean, gap: string): void {
  if (!ok) gaps.push(gap);
}

describe('custom-elements.json', () => {
  let checker: ts.TypeChecker;
  let packageExports: Set<string>;
  let eventMap: Map<string, string>;

  before(() => {
    assert.ok(element, 'custom-elements.json declares <convert-uploader>');
    // The package's exported names and the global HTMLElementEventMap, as TypeScript sees them.
    const config = ts.getParsedCommandLineOfConfigFile(
      'tsconfig.json',
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    );
    assert.ok(config);
    const program = ts.createProgram(['src/index.ts', 'src/define.ts'], config.options);
    checker = program.getTypeChecker();
    const entry = program.getSourceFile('src/index.ts');
    assert.ok(entry);
    const moduleSymbol = checker.getSymbolAtLocation(entry);
    assert.ok(moduleSymbol);
    packageExports = new Set(checker.getExportsOfModule(moduleSymbol).map((symbol) => symbol.name));
    const mapSymbol = checker.resolveName('HTMLElementEventMap', undefined, ts.SymbolFlags.Interface, false);
    assert.ok(mapSymbol);
    eventMap = new Map(
      checker
        .getDeclaredTypeOfSymbol(mapSymbol)
        .getProperties()
        .map((property) => [
          property.name,
          checker.typeToString(checker.getTypeOfSymbolAtLocation(property, entry)),
        ]),
    );
  });

  it("lists every reactive property of the class, with its attribute and Lit's type", () => {
    // Lit reads `static properties` when the class is finalized, which asking for its attributes does.
    assert.ok(ConvertUploader.observedAttributes.length > 0);
    const declared = [...ConvertUploader.elementProperties].filter(([, options]) => !options.state);
    assert.ok(declared.length > 10, 'the class declares its properties');
    for (const [name, options] of declared) {
      const field = publicMembers.find((member) => member.kind === 'field' && member.name === name);
      assert.ok(field, `property ${String(name)} is in the manifest`);
      assert.ok(field.description, `property ${String(name)} has a description`);
      const attribute = element?.attributes?.find((candidate) => candidate.fieldName === name);
      if (options.attribute === false) {
        assert.equal(attribute, undefined, `property ${String(name)} has no attribute`);
        continue;
      }
      const expected = typeof options.attribute === 'string' ? options.attribute : String(name).toLowerCase();
      assert.equal(
        attribute?.name,
        expected,
        `property ${String(name)} is reflected by attribute ${expected}`,
      );
      if (options.type === Number)
        assert.match(field.type?.text ?? '', /\bnumber\b/, `${String(name)} is a number`);
      if (options.type === Boolean)
        assert.match(field.type?.text ?? '', /\bboolean\b/, `${String(name)} is a boolean`);
    }
    // …and no attribute the class does not have.
    for (const attribute of element?.attributes ?? []) {
      if (!attribute.fieldName) continue;
      assert.ok(
        ConvertUploader.elementProperties.has(attribute.fieldName),
        `attribute ${attribute.name} belongs to a property of the class`,
      );
    }
  });

  it('has the attributes, properties and methods of the contract, each described', () => {
    const attributeNames = new Set((element?.attributes ?? []).map((attribute) => attribute.name));
    for (const name of contract.attributes)
      check(attributeNames.has(name), `attribute ${name}: not in the manifest`);
    for (const attribute of element?.attributes ?? [])
      assert.ok(attribute.description, `${attribute.name} is described`);
    for (const name of contract.propertiesOnly) {
      assert.ok(
        publicMembers.some((member) => member.kind === 'field' && member.name === name),
        `property ${name} is in the manifest`,
      );
    }
    for (const name of contract.methods) {
      assert.ok(
        publicMembers.some((member) => member.kind === 'method' && member.name === name),
        `method ${name} is in the manifest`,
      );
    }
    for (const member of publicMembers)
      check(Boolean(member.description), `${member.kind} ${member.name}: no description`);
  });

  it('has every event the element dispatches, with its detail type, exported and in HTMLElementEventMap', () => {
    const events = element?.events ?? [];
    assert.deepEqual(
      events.map((event) => event.name).sort(),
      Object.values(ConvertEvents).sort(),
      'the events of the manifest are the names in ConvertEvents',
    );
    assert.deepEqual(Object.keys(contract.events).sort(), Object.values(ConvertEvents).sort(), 'design.md');
    for (const event of events) {
      const detail = contract.events[event.name];
      assert.ok(event.description, `${event.name} is described`);
      assert.equal(event.type?.text, `CustomEvent<${detail}>`, `${event.name} carries a ${detail}`);
      check(
        packageExports.has(detail ?? ''),
        `event ${event.name}: ${detail} is not exported by the package`,
      );
      const mapped = eventMap.get(event.name);
      check(mapped !== undefined, `event ${event.name}: not declared in HTMLElementEventMap`);
      if (mapped !== undefined) {
        assert.match(
          mapped,
          new RegExp(`^(CustomEvent<${detail}>|Convert\\w+Event)$`),
          `${event.name} in HTMLElementEventMap`,
        );
      }
    }
  });

  it('has every part the templates render and the contract names, each described', () => {
    const rendered = new Set<string>();
    for (const source of elementSources().values()) {
      // In a template, or set on an element the code makes itself (the file list's rows).
      for (const [, inTemplate, set] of source.matchAll(
        /\bpart="([^"$]+)"|setAttribute\('part', '([^']+)'\)/g,
      )) {
        for (const part of (inTemplate ?? set)?.split(/\s+/) ?? []) rendered.add(part);
      }
    }
    assert.ok(rendered.size > 5, 'parts found in the templates');
    const listed = (element?.cssParts ?? []).map((part) => part.name);
    assert.deepEqual(
      [...listed].sort(),
      [...rendered].sort(),
      'the manifest lists exactly the rendered parts',
    );
    for (const part of contract.parts) assert.ok(listed.includes(part), `part ${part} (design.md)`);
    for (const part of element?.cssParts ?? []) assert.ok(part.description, `part ${part.name} is described`);
  });

  it('has every custom property the styles read, with the default the styles use', () => {
    const styles = [...elementSources()]
      .filter(([path]) => path.endsWith('.styles.ts'))
      .map(([, source]) => source);
    const read = new Set<string>();
    for (const source of styles) {
      for (const [, name] of source.matchAll(/var\(\s*(--convert-uploader-[a-z0-9-]+)/g))
        read.add(name ?? '');
    }
    const listed = element?.cssProperties ?? [];
    assert.deepEqual(listed.map((property) => property.name).sort(), [...read].sort());
    for (const property of listed) {
      assert.ok(property.description, `${property.name} is described`);
      if (property.default === undefined) continue;
      const value = property.default.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      // The fallback is the value itself, or a private default (`--_d-*`) whose first (light) value it is.
      const fallback = new RegExp(
        `var\\(\\s*${property.name},\\s*(?:${value}|var\\((--_d-[a-z-]+)\\))\\s*\\)`,
      );
      const source = styles.find((candidate) => fallback.test(candidate));
      assert.ok(source, `${property.name}: the styles fall back to ${property.default}`);
      const privateDefault = fallback.exec(source)?.[1];
      if (privateDefault) {
        const declared = new RegExp(`${privateDefault}:\\s*([^;]+);`).exec(source)?.[1];
        assert.equal(
          declared,
          property.default,
          `${property.name}: ${privateDefault} starts as ${property.default}`,
        );
      }
    }
  });

  it('has every slot the templates render (none today)', () => {
    const rendered = [...elementSources().values()].flatMap((source) =>
      [...source.matchAll(/<slot\b[^>]*?(?:name="([^"]*)")?[^>]*>/g)].map(([, name]) => name ?? ''),
    );
    assert.deepEqual((element?.slots ?? []).map((slot) => slot.name).sort(), rendered.sort());
  });

  it('links the tag to the class in the define module', () => {
    const definitions = manifest.modules
      .filter((module) => module.path === 'src/define.ts')
      .flatMap((module) => module.exports ?? [])
      .filter((entry) => entry.kind === 'custom-element-definition');
    assert.deepEqual(
      definitions.map((entry) => entry.name),
      ['convert-uploader'],
    );
  });

  it('has no gaps but the known ones (delete a line of knownGaps once it is fixed)', () => {
    assert.deepEqual([...gaps].sort(), [...knownGaps].sort());
  });
});
