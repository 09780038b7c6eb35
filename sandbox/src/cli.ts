#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startSandbox } from './index.js';

const USAGE = `Usage: convert-uploader-sandbox [--port 8787] [--host 127.0.0.1] [--no-storage-cors]
                                [--no-libreoffice] [--no-poppler]

Serves local emulations of ConvertAPI and CloudConvert and prints one JSON line with their URLs,
the credentials generated for this run and the conversion engines it found ("engines").
--no-libreoffice and --no-poppler ignore those engines even when installed.
Stops on SIGINT or SIGTERM.`;

interface CliOptions {
  port: number;
  host: string;
  storageCors: boolean;
  libreoffice: boolean;
  poppler: boolean;
  help: boolean;
}

/** Parses the command line; throws with a message for a bad option. */
function parseOptions(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      'no-storage-cors': { type: 'boolean', default: false },
      'no-libreoffice': { type: 'boolean', default: false },
      'no-poppler': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid --port: ${values.port}`);
  return {
    port,
    host: values.host,
    storageCors: !values['no-storage-cors'],
    libreoffice: !values['no-libreoffice'],
    poppler: !values['no-poppler'],
    help: values.help,
  };
}

async function main(): Promise<void> {
  let options: CliOptions;
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
    engines: {
      ...(options.libreoffice ? {} : { libreoffice: false }),
      ...(options.poppler ? {} : { poppler: false }),
    },
  });
  // One line of JSON on stdout, engines included, so a script reads everything with one JSON.parse.
  const { url, convertapi, cloudconvert, engines } = sandbox;
  process.stdout.write(`${JSON.stringify({ url, convertapi, cloudconvert, engines })}\n`);

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
