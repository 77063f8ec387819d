import { type ChildProcess, spawn } from 'node:child_process';
import { onJsonLines } from '../helpers/json-lines.js';

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything it wrote, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a tts-gateway service process (`src/main.ts`, or a packed `tts-gateway serve`) on a
 * free port and resolves once it listens. Without REDIS_URL it runs its own Redis, as a lone
 * `--role all` does, so jobs work.
 */
export function startServerProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; environment?: Record<string, string> },
): Promise<ServerProcess> {
  const child = spawn(command, [...args, '--port', '0'], {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', LOG_LEVEL: 'info', ...options.environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const closed = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await closed;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    onJsonLines(child.stdout, (record) => {
      if (typeof record['msg'] === 'string' && record['msg'].startsWith('tts-gateway listening') && typeof record['port'] === 'number')
        resolve({ child, url: `http://127.0.0.1:${record['port']}`, output: () => output, stop });
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => reject(new Error(`the service exited (${String(code)}) before listening:\n${output}`)));
  });
}
