// Web Test Runner wiring of the test backend: a middleware that serves its routes from the test
// server's own origin (as a host serves its token endpoint), and commands for the tests.
import { startTestBackend } from './backend.ts';

export async function createBackend() {
  const backend = await startTestBackend();
  return {
    middleware: async (context, next) => {
      context.respond = false;
      if (await backend.handle(context.req, context.res)) return;
      context.respond = true;
      await next();
    },
    plugin: {
      name: 'convert-uploader-backend',
      async serverStop() {
        await backend.close();
      },
      executeCommand({ command }) {
        switch (command) {
          case 'backend-info':
            return backend.info;
          case 'backend-secrets':
            return backend.secrets();
          case 'backend-token-calls':
            return backend.tokenCalls();
          case 'backend-reset':
            backend.reset();
            return true;
          default:
            return undefined;
        }
      },
    },
  };
}
