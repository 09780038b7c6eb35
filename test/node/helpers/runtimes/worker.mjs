// Cloudflare Workers (workerd, through Miniflare): the smoke-test site as a Worker, the client IP from
// `cf-connecting-ip` (the docs' recipe), its configuration from the `RUNTIME_APP` binding.
import * as kit from '../../../../dist/server.js';
import { createApp } from './app.mjs';

let app;
export default {
  fetch(request, env) {
    app ??= createApp(kit, JSON.parse(env.RUNTIME_APP), {
      clientIp: kit.clientIpFromHeader('cf-connecting-ip'),
    });
    return app(request);
  },
};
