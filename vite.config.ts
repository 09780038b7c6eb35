import { builtinModules } from 'node:module';
import { defineConfig, type Plugin } from 'vite';
import { startDevBackend } from './demo/backend.js';
import packageJson from './package.json' with { type: 'json' };

const dependencies = Object.keys(packageJson.dependencies);
const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/** Bare imports of the package's dependencies (and their subpaths) stay imports in the npm build. */
function isExternal(id: string): boolean {
  return nodeBuiltins.includes(id) || dependencies.some((dep) => id === dep || id.startsWith(`${dep}/`));
}

/** Runs the demo's backend (sandbox and token endpoints) inside the dev server. */
function demoBackend(): Plugin {
  return {
    name: 'convert-uploader-demo-backend',
    async configureServer(server) {
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

export default defineConfig(({ command, mode }) => {
  if (command === 'serve') {
    return {
      root: 'demo',
      server: { port: 5173, strictPort: false },
      plugins: [demoBackend()],
    };
  }

  if (mode === 'cdn') {
    // Self-contained files for a <script> tag: Lit bundled in, minified, tag registered.
    return {
      build: {
        outDir: 'dist/cdn',
        emptyOutDir: true,
        target: 'es2022',
        minify: true,
        sourcemap: true,
        lib: {
          entry: 'src/cdn.ts',
          name: 'ConvertUploader',
          formats: ['es', 'iife'],
          fileName: (format) => (format === 'es' ? 'convert-uploader.js' : 'convert-uploader.iife.js'),
        },
        // Library mode keeps ES output readable unless told otherwise; the CDN file is for shipping.
        rolldownOptions: { output: { minify: true } },
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
      sourcemap: true,
      lib: {
        entry: {
          index: 'src/index.ts',
          define: 'src/define.ts',
          server: 'src/server/index.ts',
          sandbox: 'src/sandbox/index.ts',
          'sandbox-cli': 'src/sandbox/cli.ts',
        },
        formats: ['es'],
      },
      rolldownOptions: { external: isExternal },
    },
  };
});
