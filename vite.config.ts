import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { extname, join, resolve, sep } from 'node:path';
import { minifyHTMLLiterals } from 'minify-literals';
import { minify } from 'terser';
import MagicString from 'magic-string';
import { defineConfig, parseSync, type Plugin, Visitor } from 'vite';
import type { DevBackend } from './demo/backend.js';
import packageJson from './package.json' with { type: 'json' };
import { dropDeveloperMessages } from './scripts/drop-developer-messages.js';

const dependencies = Object.keys(packageJson.dependencies);
const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/** Bare imports of the package's dependencies (and their subpaths) stay imports in the npm build. */
function isExternal(id: string): boolean {
  return nodeBuiltins.includes(id) || dependencies.some((dep) => id === dep || id.startsWith(`${dep}/`));
}

/** Minifies the HTML and CSS inside Lit's `html` and `css` templates (the CDN files only). */
function minifyTemplateLiterals(): Plugin {
  return {
    name: 'convert-uploader-minify-template-literals',
    async transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !/\b(html|css)`/.test(code)) return undefined;
      const minified = await minifyHTMLLiterals(code, { fileName: id });
      return minified ? { code: minified.code, map: minified.map } : undefined;
    },
  };
}

/**
 * Writes the licences of the packages bundled into the CDN files (Lit's BSD-3-Clause notices)
 * beside them, as THIRD-PARTY-LICENSES.txt: the minified files carry no comments.
 */
function thirdPartyLicenses(): Plugin {
  return {
    name: 'convert-uploader-third-party-licenses',
    generateBundle(_options, bundle) {
      const packages = new Set<string>();
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        for (const id of output.moduleIds) {
          const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id)?.[1];
          if (name) packages.add(name);
        }
      }
      const notices = [...packages].sort().map((name) => {
        const dir = resolve('node_modules', name);
        const { version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          version: string;
          license: string;
        };
        return `${name}@${version} (${license})\n\n${readFileSync(join(dir, 'LICENSE'), 'utf8').trim()}\n`;
      });
      this.emitFile({
        type: 'asset',
        fileName: 'THIRD-PARTY-LICENSES.txt',
        source: notices.join('\n---\n\n'),
      });
    },
  };
}

/**
 * A second minifying pass with terser over the CDN files: after oxc's, it takes another ~0.3 KB (brotli) off
 * each (terser alone does worse than oxc alone). The source maps are carried through, for the bench's
 * per-source breakdown.
 */
function terserPass(iife: boolean): Plugin {
  return {
    name: 'convert-uploader-terser-pass',
    async generateBundle(_options, bundle) {
      for (const output of Object.values(bundle)) {
        if (output.type !== 'chunk') continue;
        const result = await minify(output.code, {
          module: !iife,
          ecma: 2020,
          compress: { passes: 2, pure_getters: true, unsafe_arrows: true },
          format: { comments: false },
          sourceMap: output.map ? { content: JSON.stringify(output.map), asObject: true } : false,
        });
        if (result.code === undefined) continue;
        output.code = result.code;
        const mapFile = bundle[`${output.fileName}.map`];
        if (mapFile?.type === 'asset' && result.map) {
          mapFile.source = typeof result.map === 'string' ? result.map : JSON.stringify(result.map);
        }
      }
    },
  };
}

/** The languages whose strings are files of their own in the CDN build (English is in the main file). */
const otherLanguages = ['de', 'es', 'fr', 'ja'];
const isLanguageName = (name: string) => otherLanguages.includes(name);
const isLanguageModule = (id: string) => /\/src\/element\/strings\/(?:de|es|fr|ja)\.ts$/.test(id);

/**
 * In the classic script, the strings of other languages are loaded like the ES module loads them: as the files
 * `convert-uploader.<lang>.js` beside the script (found from the script's own URL, taken while it runs).
 */
function languagesBesideTheScript(): Plugin {
  return {
    name: 'convert-uploader-languages-beside-the-script',
    enforce: 'pre',
    transform(code, id) {
      if (!id.endsWith('/src/element/strings/index.ts')) return undefined;
      const rewritten = code.replace(/import\(['"]\.\/([a-z]+)\.js['"]\)/g, (whole, lang: string) =>
        isLanguageName(lang) ? `import(new URL('./convert-uploader.${lang}.js', scriptUrl).href)` : whole,
      );
      return `const scriptUrl = document.currentScript?.src ?? location.href;\n${rewritten}`;
    },
  };
}

/**
 * In the classic script, a dynamic `import('./x.js')` of a module bundled into it becomes a static import that
 * resolves at once. The code is downloaded with the script either way, so the import only delayed running the
 * module's (side-effect-free) top level; but it made the bundler wrap every module it reaches in a lazy
 * initializer, which only cost bytes (0.35 KB brotli). Other languages' strings stay dynamic: they are files of
 * their own. (In the ES module the same change saves nothing: it has no such wrappers.)
 */
function bundledDynamicImports(): Plugin {
  return {
    name: 'convert-uploader-bundled-dynamic-imports',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !code.includes('import(')) return undefined;
      const edited = new MagicString(code);
      const statics: string[] = [];
      new Visitor({
        ImportExpression(node) {
          const source = node.source;
          if (source.type !== 'Literal' || typeof source.value !== 'string' || !source.value.startsWith('.'))
            return;
          if (isLanguageModule(new URL(source.value, `file://${id}`).pathname.replace(/\.js$/, '.ts')))
            return;
          const name = `bundledModule${statics.length}`;
          statics.push(`import * as ${name} from ${JSON.stringify(source.value)};`);
          edited.overwrite(node.start, node.end, `Promise.resolve(${name})`);
        },
      }).visit(parseSync(id, code, { lang: 'ts' }).program);
      if (statics.length === 0) return undefined;
      edited.prepend(`${statics.join('\n')}\n`);
      return { code: edited.toString(), map: edited.generateMap({ hires: true, source: id }) };
    },
  };
}

/**
 * Runs the demo's backend (sandbox and token endpoints) inside the dev server. It is loaded through the dev
 * server's own module loader, not imported by this file, so that `vite build` never loads the sandbox (and its
 * native image library).
 */
function demoBackend(): Plugin {
  return {
    name: 'convert-uploader-demo-backend',
    async configureServer(server) {
      const { startDevBackend } = (await server.ssrLoadModule(resolve('demo/backend.ts'))) as {
        startDevBackend: () => Promise<DevBackend>;
      };
      const backend = await startDevBackend();
      server.middlewares.use((request, response, next) => {
        backend.middleware(request, response, next);
      });
      server.httpServer?.once('close', () => void backend.close());
      const where = backend.sandbox ? `the sandbox at ${backend.sandbox.url}` : 'the real ConvertAPI';
      server.config.logger.info(`  demo backend: token endpoints on this server, converting with ${where}`);
    },
  };
}

/**
 * Serves the React and Vue examples (demo/react, demo/vue) at /react/ and /vue/, each by a Vite server of its own
 * (its own config, so its framework's plugin) in middleware mode, with the element from its sources: they run
 * without `npm run build`. The API routes they fetch are this server's (the demo backend).
 */
function frameworkExamples(): Plugin {
  return {
    name: 'convert-uploader-framework-examples',
    async configureServer(server) {
      const { createServer } = await import('vite');
      for (const name of ['react', 'vue']) {
        const example = await createServer({
          configFile: resolve(`demo/${name}/vite.config.ts`),
          root: resolve(`demo/${name}`),
          base: `/${name}/`,
          cacheDir: resolve(`node_modules/.vite-demo-${name}`),
          appType: 'mpa',
          logLevel: server.config.logLevel,
          clearScreen: false,
          // Hot updates over this server's own port, at the example's path (this server's are at /).
          server: { middlewareMode: true, ws: server.httpServer ? { server: server.httpServer } : false },
          resolve: {
            alias: [
              { find: /^convert-uploader\/define$/, replacement: resolve('src/define.ts') },
              { find: /^convert-uploader$/, replacement: resolve('src/index.ts') },
            ],
          },
        });
        server.middlewares.use((request, response, next) => {
          if (request.url === `/${name}`) {
            response.writeHead(301, { location: `/${name}/` });
            response.end();
          } else if (request.url?.startsWith(`/${name}/`)) example.middlewares(request, response, next);
          else next();
        });
        server.httpServer?.once('close', () => void example.close());
      }
    },
  };
}

/**
 * Serves the built CDN files untouched at /dist/cdn/, for the script-tag pages (demo/cdn-module.html,
 * demo/cdn-iife.html): they load exactly what a CDN would serve. `npm run build` writes them.
 */
function builtCdnFiles(): Plugin {
  const root = resolve('dist/cdn');
  const types: Record<string, string> = { '.js': 'text/javascript', '.map': 'application/json' };
  return {
    name: 'convert-uploader-built-cdn-files',
    configureServer(server) {
      server.middlewares.use('/dist/cdn/', (request, response, next) => {
        const file = resolve(
          root,
          `.${decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)}`,
        );
        if (!file.startsWith(root + sep)) {
          next();
          return;
        }
        if (!existsSync(file) || !statSync(file).isFile()) {
          response.writeHead(404, { 'content-type': 'text/plain' });
          response.end('Not built: run `npm run build` first.');
          return;
        }
        response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
        createReadStream(file).pipe(response);
      });
    },
  };
}

export default defineConfig(({ command, mode }) => {
  if (command === 'serve') {
    return {
      root: 'demo',
      server: { port: 5173, strictPort: false },
      plugins: [demoBackend(), builtCdnFiles(), frameworkExamples()],
      // Pre-bundle what the pages of this root load; the examples under it have servers of their own (above),
      // and scanning their sources here fails until `npm run build` (they import the built package).
      optimizeDeps: { entries: ['*.html'] },
      resolve: {
        alias: [
          // Lets Vite's pre-transform of those pages find the built files (the browser gets them from builtCdnFiles).
          { find: /^\/dist\/cdn\//, replacement: `${resolve('dist/cdn')}/` },
          // The workspace's sandbox from its sources, as tsconfig.json's `paths` maps it for the tests.
          { find: /^convert-uploader-sandbox$/, replacement: resolve('sandbox/src/index.ts') },
        ],
      },
    };
  }

  if (mode === 'cdn' || mode === 'cdn-iife') {
    // Self-contained files for a <script> tag: Lit bundled in, minified, tag registered. The ES module is one
    // file (every adapter and mode in it) plus one file per other language; the classic script (IIFE, a build
    // of its own) loads those same language files when a page needs one. See docs/decisions.md.
    const iife = mode === 'cdn-iife';
    return {
      plugins: [
        dropDeveloperMessages(),
        minifyTemplateLiterals(),
        ...(iife ? [languagesBesideTheScript(), bundledDynamicImports()] : [thirdPartyLicenses()]),
        terserPass(iife),
      ],
      build: {
        outDir: 'dist/cdn',
        emptyOutDir: !iife,
        target: 'es2022',
        minify: true,
        // Maps are written for local debugging but not referenced from the files, which ship without them.
        sourcemap: 'hidden',
        lib: {
          entry: 'src/cdn.ts',
          name: 'ConvertUploader',
          formats: [iife ? 'iife' : 'es'],
          fileName: () => (iife ? 'convert-uploader.iife.js' : 'convert-uploader.js'),
        },
        // Library mode keeps ES output readable unless told otherwise; the CDN file is for shipping.
        // No comments: pure annotations only guide a bundler, and the licences are in THIRD-PARTY-LICENSES.txt.
        rolldownOptions: {
          output: {
            minify: true,
            comments: false,
            ...(iife
              ? {}
              : {
                  chunkFileNames: (chunk: { name: string }) =>
                    isLanguageName(chunk.name) ? `convert-uploader.${chunk.name}.js` : '[name]-[hash].js',
                  codeSplitting: {
                    groups: [{ name: 'convert-uploader-all', test: (id: string) => !isLanguageModule(id) }],
                  },
                }),
          },
        },
      },
    };
  }

  // The npm build: ES modules for bundlers and Node, dependencies left as imports.
  return {
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      // Maps are written for local debugging but not referenced: the package ships the readable, unminified
      // files without maps, and a reference to a missing map makes bundlers and devtools warn.
      sourcemap: 'hidden',
      lib: {
        entry: {
          index: 'src/index.ts',
          define: 'src/define.ts',
          server: 'src/server/index.ts',
        },
        formats: ['es'],
      },
      rolldownOptions: { external: isExternal },
    },
  };
});
