import MagicString from 'magic-string';
import { parseSync, type Plugin, Visitor } from 'vite';

/**
 * Empties the developer messages of `ConvertError`s (and the reasons given to the credential guard's
 * `rejectAnswer`, which become such messages) in the CDN files, as Lit's production build drops
 * its dev-mode warnings. They never reach the page: the element shows and reports each error by its
 * code, in the visitor's language (docs/design.md §2), so in the CDN files they were only weight (0.5 KB
 * brotli). The npm build and the tests keep them.
 */
export function dropDeveloperMessages(): Plugin {
  return {
    name: 'convert-uploader-drop-developer-messages',
    transform(code, id) {
      if (
        !/\/src\/(engine|element|providers)\/.*\.ts$/.test(id) ||
        !(code.includes('new ConvertError(') || code.includes('rejectAnswer('))
      ) {
        return undefined;
      }
      const emptied = (argument: { type: string; start: number; end: number } | undefined) => {
        if (argument?.type === 'Literal' || argument?.type === 'TemplateLiteral') {
          edited.overwrite(argument.start, argument.end, "''");
        }
      };
      const edited = new MagicString(code);
      new Visitor({
        NewExpression(node) {
          if (node.callee.type === 'Identifier' && node.callee.name === 'ConvertError')
            emptied(node.arguments[1]);
        },
        CallExpression(node) {
          if (node.callee.type === 'Identifier' && node.callee.name === 'rejectAnswer')
            emptied(node.arguments[0]);
        },
      }).visit(parseSync(id, code, { lang: 'ts' }).program);
      return { code: edited.toString(), map: edited.generateMap({ hires: true, source: id }) };
    },
  };
}
