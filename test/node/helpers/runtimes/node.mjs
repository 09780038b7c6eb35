// Node: the smoke-test site through toNodeListener (the TCP peer address is the client IP).
import { createServer } from 'node:http';
import * as kit from '../../../../dist/server.js';
import { createApp } from './app.mjs';

const app = createApp(kit, JSON.parse(process.env.RUNTIME_APP ?? ''));
const server = createServer(kit.toNodeListener(app)).listen(0, '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
