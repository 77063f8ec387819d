import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/redis/private-redis.js';
import { requireExecutable } from '../helpers/tools.js';
import { startWorkerProcess } from '../helpers/worker-process.js';

const run = promisify(execFile);
const PASSWORD = 'a-tls-redis-password';

/**
 * A redis-server that speaks only TLS (`--port 0 --tls-port`), with a certificate from a CA made
 * here by openssl, and a password. A real worker process is pointed at it as a user would, and
 * its named connection must show in that server's client list; without the CA it must not.
 */
let directory: string;
let server: ChildProcess;
let port: number;
let admin: Redis;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tts-gateway-redis-tls-'));
  const openssl = requireExecutable('openssl');
  const file = (name: string): string => join(directory, name);
  await run(openssl, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=tts-gateway test CA',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
  ]);
  await run(openssl, ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('server.key'), '-out', file('server.csr')]);
  await writeFile(file('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  await run(openssl, [
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  ]);
  port = await freePort();
  server = spawn(
    requireExecutable('redis-server'),
    [
      ...['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', directory],
      ...['--tls-cert-file', file('server.pem'), '--tls-key-file', file('server.key'), '--tls-ca-cert-file', file('ca.pem'), '--tls-auth-clients', 'no'],
      ...['--requirepass', PASSWORD],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    server.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`redis-server exited with ${String(code)}: ${output}`)));
  });
  admin = new Redis({ host: '127.0.0.1', port, password: PASSWORD, tls: { ca: await readFile(file('ca.pem')) } });
});
afterAll(async () => {
  admin?.disconnect();
  if (server !== undefined && server.exitCode === null) {
    const exited = once(server, 'exit');
    server.kill('SIGTERM');
    await exited;
  }
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

/** The worker's named connections as the TLS server lists them, once they appear or after `waitMs`. */
async function workerClients(waitMs: number): Promise<string> {
  const deadline = Date.now() + waitMs;
  let clients = '';
  while (Date.now() < deadline && !clients.includes('name=tts-gateway-worker')) {
    clients = String(await admin.client('LIST'));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return clients;
}

async function withWorker(environment: Record<string, string>, check: (output: () => string) => Promise<void>): Promise<void> {
  const configPath = join(directory, 'config.json');
  await writeFile(configPath, JSON.stringify({ job_settings: { redis_prefix: 'redis-tls' } }));
  const child = startWorkerProcess(configPath, undefined, environment);
  // A worker that cannot reach Redis never says it is running; the check decides what that means.
  const started = await Promise.race([child, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 8000))]);
  try {
    await check(() => started?.output() ?? '');
  } finally {
    (started ?? (await child.catch(() => undefined)))?.kill('SIGKILL');
  }
}

describe('Redis over TLS, with a password', () => {
  it.each([
    [
      'REDIS_URL=rediss:// with REDIS_SSL_CA_CERTS',
      () => ({ REDIS_URL: `rediss://:${PASSWORD}@127.0.0.1:${port}`, REDIS_SSL_CA_CERTS: join(directory, 'ca.pem') }),
    ],
    [
      "LiteLLM's REDIS_HOST, REDIS_PORT, REDIS_PASSWORD, REDIS_SSL and REDIS_SSL_CA_CERTS",
      () => ({ REDIS_HOST: '127.0.0.1', REDIS_PORT: String(port), REDIS_PASSWORD: PASSWORD, REDIS_SSL: 'true', REDIS_SSL_CA_CERTS: join(directory, 'ca.pem') }),
    ],
  ])('reaches it through %s', async (_, environment) => {
    await withWorker(environment(), async (output) => {
      const clients = await workerClients(30_000);
      expect(clients, output()).toContain('name=tts-gateway-worker');
      expect(output()).not.toContain(PASSWORD);
    });
  });

  it('does not connect to a server whose certificate no CA it was given vouches for', async () => {
    // The workers of the tests before are gone (SIGKILLed), and so are their connections.
    for (let attempt = 0; attempt < 100 && String(await admin.client('LIST')).includes('name=tts-gateway-worker'); attempt += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(String(await admin.client('LIST'))).not.toContain('name=tts-gateway-worker');
    await withWorker({ REDIS_URL: `rediss://:${PASSWORD}@127.0.0.1:${port}` }, async () => {
      expect(await workerClients(3000)).not.toContain('name=tts-gateway-worker');
    });
  });
});
