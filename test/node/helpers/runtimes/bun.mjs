/* global Bun */
// Bun: the smoke-test site through Bun.serve, the client IP from `server.requestIP` (the docs' recipe).
import * as kit from '../../../../dist/server.js';
import { createApp } from './app.mjs';

const app = createApp(kit, JSON.parse(process.env.RUNTIME_APP ?? ''));
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch(request, server) {
    kit.rememberConnectionAddress(request, server.requestIP(request)?.address);
    return app(request);
  },
});
console.log(`listening ${server.port}`);
