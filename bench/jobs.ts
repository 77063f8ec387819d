/**
 * Jobs throughput and worker memory, on this machine:
 *   npm run bench:jobs
 * 1. Raw BullMQ: N no-op jobs through one worker (the ceiling for any queue-based design).
 * 2. The whole pipeline with an instant fake provider (OpenAI fake, latency 0, pcm so nothing is
 *    encoded): POST a job of N items, a worker process (`--role worker`) synthesizes, stores on the
 *    filesystem and records each item; timed until the job reads completed.
 * 3. The worker process's resident memory, sampled through that N-item job.
 * Between 1 and 2, two fairer ceilings: a bare BullMQ worker process making the same HTTP call
 * to the fake, and that call plus a file write. The pipeline also prints its CPU seconds per
 * process and the Redis commands per item (Lua-internal ones included).
 * Set ITEMS (default 10000), CONCURRENCY (default 16) and WORKER_NODE_FLAGS to change the run.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { composeGateway } from '../src/compose-gateway.js';
import { findExecutable } from '../src/config/executables.js';
import { parseConfigDocument } from '../src/config/load-config.js';
import { createLogger } from '../src/logging/logger.js';
import { connectRedis } from '../src/redis/connection.js';
import { startPrivateRedis } from '../src/redis/private-redis.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../test/fakes/openai/server.js';
import { residentMiB } from './lib/service.js';

const ITEMS = Number(process.env['ITEMS'] ?? 10_000);
const CONCURRENCY = Number(process.env['CONCURRENCY'] ?? 16);
const ROOT = new URL('../', import.meta.url).pathname;
/** Extra node flags for the worker process, for example `--cpu-prof` to see where its time goes. */
const NODE_FLAGS = (process.env['WORKER_NODE_FLAGS'] ?? '').split(' ').filter((flag) => flag !== '');

const redisServer = findExecutable('redis-server', process.env['PATH'] ?? '');
const ffmpeg = findExecutable('ffmpeg', process.env['PATH'] ?? '');
if (redisServer === undefined || ffmpeg === undefined)
  throw new Error('the benchmark needs redis-server and ffmpeg on the PATH (bash scripts/install-dependencies.sh)');

const directory = await mkdtemp(join(tmpdir(), 'tts-gateway-bench-jobs-'));
const redis = await startPrivateRedis({ redisServerPath: redisServer, dataDirectory: join(directory, 'redis') });
// Connections kept open as a real API's are (the fakes' 1 s default makes undici open one per request).
const fake = await startOpenAIFake({ behaviour: { latencyMs: 0 }, keepAliveTimeoutMs: 30_000 });

async function rawBullmq(): Promise<number> {
  const connection = connectRedis(redis.url, { blocking: true });
  const queue = new Queue('raw', { connection, prefix: 'bench-raw' });
  for (let start = 0; start < ITEMS; start += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, ITEMS - start) }, (_, offset) => ({
        name: 'noop',
        data: { index: start + offset },
        opts: { jobId: `raw-${start + offset}`, removeOnComplete: true },
      })),
    );
  }
  let done = 0;
  const workerConnection = connectRedis(redis.url, { blocking: true });
  const started = performance.now();
  const finished = new Promise<void>((resolve) => {
    const worker = new Worker('raw', async () => undefined, { connection: workerConnection, prefix: 'bench-raw', concurrency: CONCURRENCY });
    worker.on('completed', () => {
      done += 1;
      if (done === ITEMS) void worker.close().then(resolve);
    });
  });
  await finished;
  const seconds = (performance.now() - started) / 1000;
  await queue.close();
  connection.disconnect();
  workerConnection.disconnect();
  return ITEMS / seconds;
}

/** Redis commands served so far, by command name (INFO commandstats), to count round trips per item. */
async function commandCounts(client: ReturnType<typeof connectRedis>): Promise<Map<string, number>> {
  const text = await client.info('commandstats');
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) counts.set(match[1] ?? '', Number(match[2]));
  return counts;
}

function commandsPerItem(before: Map<string, number>, after: Map<string, number>): { total: number; top: string } {
  const deltas = [...after].map(([name, calls]) => [name, calls - (before.get(name) ?? 0)] as const).filter(([name, calls]) => calls > 0 && name !== 'info');
  deltas.sort((left, right) => right[1] - left[1]);
  const total = deltas.reduce((sum, [, calls]) => sum + calls, 0) / ITEMS;
  const top = deltas
    .slice(0, 8)
    .map(([name, calls]) => `${name} ${(calls / ITEMS).toFixed(2)}`)
    .join(', ');
  return { total, top };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * Fairer ceilings than a no-op: a bare BullMQ worker process doing the same HTTP call to the
 * same fake (`http`), and that call plus an atomic file write (`http-file`), with no records,
 * routing or spend. What separates these from the pipeline is the gateway's own bookkeeping.
 */
async function rawBullmqWorkerProcess(mode: 'http' | 'http-file'): Promise<{ jobsPerSecond: number; cpuMsPerJob: number }> {
  const prefix = `bench-raw-${mode}`;
  const connection = connectRedis(redis.url);
  const queue = new Queue('raw', { connection, prefix });
  for (let start = 0; start < ITEMS; start += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, ITEMS - start) }, (_, offset) => ({
        name: mode,
        data: { index: start + offset },
        opts: { jobId: `raw-${start + offset}`, removeOnComplete: true },
      })),
    );
  }
  const folder = join(directory, prefix);
  await mkdir(folder, { recursive: true });
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/lib/raw-worker.ts', redis.url, prefix, mode, String(ITEMS), String(CONCURRENCY), fake.baseUrl, FAKE_OPENAI_API_KEY, folder],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  await queue.close();
  connection.disconnect();
  if (code !== 0) throw new Error(`the raw ${mode} worker exited with ${String(code)}`);
  return JSON.parse(output) as { jobsPerSecond: number; cpuMsPerJob: number };
}

async function pipeline(): Promise<{
  itemsPerSecond: number;
  idleMiB: number;
  peakMiB: number;
  endMiB: number;
  acceptMs: number;
  commands: { total: number; top: string };
  cpu: { worker: number; redis: number; bench: number; wall: number };
}> {
  const config = {
    model_list: [{ model_name: 'tts-1', litellm_params: { model: 'openai/tts-1', api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1` } }],
    general_settings: { master_key: 'sk-bench' },
    storage_settings: { path: join(directory, 'audio'), signing_secret: 'bench-signing-secret-0123456789' },
    job_settings: { redis_prefix: 'bench', concurrency: CONCURRENCY, max_items_per_job: ITEMS },
  };
  const configPath = join(directory, 'config.json');
  await writeFile(configPath, JSON.stringify(config));
  const client = connectRedis(redis.url);
  const gateway = composeGateway({
    config: parseConfigDocument(config, {}),
    masterKey: 'sk-bench',
    tools: { ffmpegPath: ffmpeg ?? 'ffmpeg', espeakBinaryPath: undefined, nodePath: process.execPath },
    logger: createLogger('warn'),
    redis: client,
  });
  const server = gateway.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const worker = spawn(process.execPath, [...NODE_FLAGS, '--import', 'tsx', 'src/main.ts', '--role', 'worker', '--config', configPath], {
    cwd: ROOT,
    env: { ...process.env, REDIS_URL: redis.url, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // The worker is up once its queue connections exist; give it a moment, then measure at rest.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const pid = worker.pid ?? 0;
  const idleMiB = residentMiB(pid);
  let peakMiB = idleMiB;
  const sampler = setInterval(() => (peakMiB = Math.max(peakMiB, residentMiB(pid))), 100);
  const headers = { authorization: 'Bearer sk-bench', 'content-type': 'application/json' };
  const items = Array.from({ length: ITEMS }, (_, index) => ({ input: `Benchmark item ${index}.` }));
  const commandsBefore = await commandCounts(client);
  const redisPid = redis.process.pid ?? 0;
  const cpuBefore = { worker: cpuSeconds(pid), redis: cpuSeconds(redisPid), bench: cpuSeconds(process.pid) };
  const started = performance.now();
  const created = await fetch(`${baseUrl}/v1/audio/speech/jobs`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ model: 'tts-1', voice: 'alloy', response_format: 'pcm', items }),
  });
  const acceptMs = performance.now() - started;
  if (created.status !== 202) throw new Error(`job creation failed: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  for (;;) {
    // The job record's status alone, not the 10,000-item object, so polling does not skew the figure.
    const status = await client.hget(`bench:job:${id}`, 'status');
    if (status === 'completed' || status === 'failed') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  const commands = commandsPerItem(commandsBefore, await commandCounts(client));
  const cpu = {
    worker: cpuSeconds(pid) - cpuBefore.worker,
    redis: cpuSeconds(redisPid) - cpuBefore.redis,
    bench: cpuSeconds(process.pid) - cpuBefore.bench,
    wall: seconds,
  };
  clearInterval(sampler);
  const endMiB = residentMiB(pid);
  worker.kill('SIGTERM');
  await once(worker, 'exit');
  await gateway.jobs?.close();
  server.close();
  client.disconnect();
  return { itemsPerSecond: ITEMS / seconds, idleMiB, peakMiB, endMiB, acceptMs, commands, cpu };
}

try {
  console.log(`tts-gateway jobs benchmark: ${ITEMS} items, worker concurrency ${CONCURRENCY}, one redis-server, this machine\n`);
  const raw = await rawBullmq();
  console.log(`raw BullMQ (no-op processor):            ${raw.toFixed(0)} jobs/s`);
  const rawHttp = await rawBullmqWorkerProcess('http');
  console.log(
    `raw BullMQ + the HTTP call to the fake:   ${rawHttp.jobsPerSecond.toFixed(0)} jobs/s  (worker in its own process: ${rawHttp.cpuMsPerJob.toFixed(2)} ms CPU per job)`,
  );
  const rawHttpFile = await rawBullmqWorkerProcess('http-file');
  console.log(
    `raw BullMQ + HTTP call + file write:      ${rawHttpFile.jobsPerSecond.toFixed(0)} jobs/s  (${rawHttpFile.cpuMsPerJob.toFixed(2)} ms CPU per job)`,
  );
  const result = await pipeline();
  const share = (ceiling: number): string => `${((result.itemsPerSecond / ceiling) * 100).toFixed(0)}%`;
  console.log(
    `whole pipeline (instant fake, pcm, fs):  ${result.itemsPerSecond.toFixed(0)} items/s  (${((result.cpu.worker * 1000) / ITEMS).toFixed(2)} ms worker CPU per item)`,
  );
  console.log(`  ${share(raw)} of raw BullMQ, ${share(rawHttp.jobsPerSecond)} of raw + HTTP, ${share(rawHttpFile.jobsPerSecond)} of raw + HTTP + file`);
  console.log(`  job accepted (202) in ${result.acceptMs.toFixed(0)} ms`);
  const { cpu } = result;
  console.log(
    `  cpu seconds over ${cpu.wall.toFixed(1)} s: worker ${cpu.worker.toFixed(1)}, redis-server ${cpu.redis.toFixed(1)}, this process (fake provider + API) ${cpu.bench.toFixed(1)}`,
  );
  console.log(`  redis commands per item (api + worker + status polling): ${result.commands.total.toFixed(1)}; ${result.commands.top}`);
  console.log(
    `worker resident memory during the ${ITEMS}-item job: ${result.idleMiB.toFixed(1)} MiB idle, ${result.peakMiB.toFixed(1)} MiB peak, ${result.endMiB.toFixed(1)} MiB at the end`,
  );
} finally {
  await fake.close();
  await redis.stop();
  await rm(directory, { recursive: true, force: true });
}
// Clients that reconnect forever (by design, for a Redis restart) would keep the process alive.
process.exit(0);
