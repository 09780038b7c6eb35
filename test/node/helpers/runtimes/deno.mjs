/* global Deno */
// Deno: the smoke-test site through Deno.serve, the client IP from `info.remoteAddr` (the docs' recipe).
import * as kit from '../../../../dist/server.js';
import { createApp } from './app.mjs';

const app = createApp(kit, JSON.parse(Deno.env.get('RUNTIME_APP') ?? ''));
Deno.serve(
  {
    hostname: '127.0.0.1',
    port: 0,
    onListen: ({ port }) => console.log(`listening ${port}`),
  },
  (request, info) => {
    kit.rememberConnectionAddress(request, info.remoteAddr.hostname);
    return app(request);
  },
);
