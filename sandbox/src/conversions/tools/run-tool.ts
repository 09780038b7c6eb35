import { spawn } from 'node:child_process';

/** How a tool run ended when it did not succeed. */
export class ToolError extends Error {
  constructor(
    message: string,
    /** True when the tool was stopped because it ran past its time limit. */
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

/** How a tool is run. */
export interface ToolRun {
  /** Milliseconds the tool may run before its whole process group is killed. */
  timeoutMs: number;
  /** Working directory. */
  cwd?: string;
  /** Extra environment variables (the sandbox's own environment is passed on). */
  env?: Record<string, string>;
  /** Called with a function that kills the run, so an owner can stop it early (on close). */
  onStart?: (kill: () => void) => void;
}

const STDERR_LIMIT = 4096;

/**
 * Runs an external program with an argument array (never through a shell, so no file name is ever
 * parsed as a command) and resolves its standard output. The program gets its own process group so
 * that a timeout also ends the children it spawned (LibreOffice's `soffice` starts `soffice.bin`).
 * @throws ToolError when it exits non-zero, is killed, or times out
 */
export function runTool(command: string, args: readonly string[], run: ToolRun): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: run.cwd,
      env: { ...process.env, ...run.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    const kill = (): void => {
      if (child.pid === undefined || child.exitCode !== null) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, run.timeoutMs);
    run.onStart?.(kill);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_LIMIT) stderr += chunk.toString('utf8');
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new ToolError(`${command} could not be started: ${error.message}`, false));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(new ToolError(`${command} ran longer than ${Math.round(run.timeoutMs / 1000)} s`, true));
      } else if (code !== 0) {
        const detail = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 500);
        reject(
          new ToolError(
            `${command} failed (${signal ?? `exit ${code}`})${detail ? `: ${detail}` : ''}`,
            false,
          ),
        );
      } else {
        resolve(Buffer.concat(stdout));
      }
    });
  });
}
