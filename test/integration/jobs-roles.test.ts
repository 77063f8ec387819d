import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

it.each(['api', 'worker'])('refuses --role %s without REDIS_URL, saying why', async (role) => {
  const result = await run(['--role', role]);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`--role ${role} needs REDIS_URL`);
});
