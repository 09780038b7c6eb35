#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startSandbox } from './index.js';

const USAGE = `Usage: convert-uploader-sandbox [--port 8787] [--host 127.0.0.1] [--no-storage-cors]

Serves local emulations of ConvertAPI and CloudConvert and prints one JSON line with their URLs
and the credentials generated for this run. Stops on SIGINT or SIGTERM.`;

/** Parses the command line; throws with a message for a bad option. */
function parseOptions(argv: string[]): { port: number; host: string; storageCors: boolean; help: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      'no-storage-cors': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid --port: ${values.port}`);
  return { port, host: values.host, storageCors: !values['no-storage-cors'], help: values.help };
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const sandbox = await startSandbox({
    port: options.port,
    host: options.host,
    storageCors: options.storageCors,
  });
  const { url, convertapi, cloudconvert } = sandbox;
  process.stdout.write(`${JSON.stringify({ url, convertapi, cloudconvert })}\n`);

  const stop = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    void sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Closing the sandbox failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `convert-uploader-sandbox: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
