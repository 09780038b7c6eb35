// Starts and stops the processes of the multi-instance tests (see kit-instance.ts), and any other child process
// that prints `listening <port>` once it serves.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { KitInstanceConfig } from './kit-instance.js';

/** A child process serving HTTP on a loopback port. */
export interface ServingProcess {
  readonly url: string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Spawns `command args` and waits for its `listening <port>` line (at most `timeoutMs`); the error carries the
 * last lines it printed.
 */
export async function spawnServing(
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<ServingProcess> {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running.delete(child);
      resolve();
    });
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not start within ${timeoutMs} ms: ${output.slice(-2000)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code ?? signal}) before serving: ${output.slice(-2000)}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Starts `count` instances of one site, each its own Node process, all with `config`. */
export function startKitInstances(count: number, config: KitInstanceConfig): Promise<ServingProcess[]> {
  const entry = fileURLToPath(new URL('./kit-instance.ts', import.meta.url));
  return Promise.all(
    Array.from({ length: count }, () =>
      spawnServing(process.execPath, ['--import', 'tsx', entry], { KIT_INSTANCE: JSON.stringify(config) }),
    ),
  );
}
