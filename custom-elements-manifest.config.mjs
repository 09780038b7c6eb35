// `npm run analyze` writes custom-elements.json from the element's JSDoc; `npm run check:manifest`
// fails when the committed file is stale.
export default {
  globs: ['src/element/**/*.ts', 'src/define.ts'],
  exclude: ['**/*.styles.ts'],
  litelement: true,
  outdir: '.',
  // package.json names the manifest itself; left on, the analyzer would point it at `--outdir`, which
  // `npm run check:manifest` sets to a temporary folder.
  packagejson: false,
};
