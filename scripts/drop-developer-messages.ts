import MagicString from 'magic-string';
import { parseSync, type Plugin, Visitor } from 'vite';

/**
 * Empties the developer messages of `ConvertError`s in the CDN files, as Lit's production build drops
 * its dev-mode warnings. They never reach the page: the element shows and reports each error by its
 * code, in the visitor's language (docs/design.md §2), so in the CDN files they were only weight (0.5 KB
 * brotli). The npm build and the tests keep them.
 */
export function dropDeveloperMessages(): Plugin {
  return {
    name: 'convert-uploader-drop-developer-messages',
    transform(code, id) {
      if (!/\/src\/(core|element|providers)\/.*\.ts$/.test(id) || !code.includes('new ConvertError(')) {
        return undefined;
      }
      const edited = new MagicString(code);
      new Visitor({
        NewExpression(node) {
          const message = node.arguments[1];
          const written = message?.type === 'Literal' || message?.type === 'TemplateLiteral';
          if (node.callee.type === 'Identifier' && node.callee.name === 'ConvertError' && written) {
            edited.overwrite(message.start, message.end, "''");
          }
        },
      }).visit(parseSync(id, code, { lang: 'ts' }).program);
      return { code: edited.toString(), map: edited.generateMap({ hires: true, source: id }) };
    },
  };
}
