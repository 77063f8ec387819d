import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { startTestRedis } from '../helpers/redis.js';
import { startWorkerProcess } from '../helpers/worker-process.js';

const ROOT = new URL('../../', import.meta.url).pathname;

function run(args: string[], environment: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', ...environment },
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

it.each([
  [
    'router_settings.redis_host, redis_port and redis_password',
    (port: number) => ({ router_settings: { redis_host: '127.0.0.1', redis_port: port, redis_password: 'a-redis-password' } }),
    () => ({}),
  ],
  [
    "LiteLLM's REDIS_HOST, REDIS_PORT and REDIS_PASSWORD",
    () => ({}),
    (port: number) => ({ REDIS_HOST: '127.0.0.1', REDIS_PORT: String(port), REDIS_PASSWORD: 'a-redis-password' }),
  ],
])('reaches the Redis that %s name, with its password', async (_, config, environment) => {
  const redis = await startTestRedis();
  const port = Number(new URL(redis.url).port);
  const admin = new Redis(redis.url);
  const directory = await mkdtemp(join(tmpdir(), 'tts-gateway-redis-host-'));
  try {
    await admin.config('SET', 'requirepass', 'a-redis-password');
    await admin.auth('a-redis-password');
    const configPath = join(directory, 'config.json');
    await writeFile(configPath, JSON.stringify({ ...config(port), job_settings: { redis_prefix: 'redis-host' } }));
    const child = await startWorkerProcess(configPath, undefined, environment(port));
    try {
      const deadline = Date.now() + 30_000;
      // The worker's connections show in the Redis it was pointed at, by name.
      let clients = '';
      while (Date.now() < deadline && !clients.includes('name=tts-gateway-worker')) {
        clients = String(await admin.client('LIST'));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const output = child.output();
      expect(clients, output).toContain('name=tts-gateway-worker');
      expect(output).toContain(`redis://127.0.0.1:${port}`);
      expect(output).not.toContain('a-redis-password');
    } finally {
      child.kill('SIGKILL');
    }
  } finally {
    admin.disconnect();
    await redis.stop();
    await rm(directory, { recursive: true, force: true });
  }
});
