import { spawn, type ChildProcess } from 'node:child_process';

const ROOT = new URL('../../', import.meta.url).pathname;

/** A worker process and what it has written so far (stdout and stderr). */
export type WorkerProcess = ChildProcess & { output(): string };

/**
 * A real worker process, as `npm start -- --role worker` runs it, resolved once it says it
 * is running. The caller kills it (keep it in a list for `afterAll`). Its Redis is `redisUrl`,
 * or what `environment` names when that is undefined.
 */
export function startWorkerProcess(configPath: string, redisUrl: string | undefined, environment: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', 'worker', '--config', configPath], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', ...(redisUrl === undefined ? {} : { REDIS_URL: redisUrl }), ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const worker = Object.assign(child, { output: () => output });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('tts-gateway worker running')) resolve(worker);
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => reject(new Error(`worker exited with ${String(code ?? signal)}: ${output}`)));
  });
}
