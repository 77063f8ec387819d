import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GenericContainer, getContainerRuntimeClient, Wait, type StartedTestContainer } from 'testcontainers';
import { expect, inject } from 'vitest';
import { freePort, startPrivateRedis, type PrivateRedis } from '../../src/redis/private-redis.js';
import { startTestCluster } from './redis-topologies.js';
import { requireExecutable } from './tools.js';

/**
 * The one place that hands out the suite's Redis and S3-compatible store: containers through
 * testcontainers when a container engine is reachable, local processes otherwise. The choice is
 * made once per run (`planServices`, from the global set-up) and every test file gets its own
 * servers from it, so a file's tests share them and files never share state.
 */
type ServiceKind = 'containers' | 'processes';

export interface ServicePlan {
  readonly kind: ServiceKind;
  /** Why this kind, for the one line the run prints. */
  readonly reason: string;
  readonly redisImage: string;
  readonly s3Image: string;
  /** Where each test file notes the kind it ran on, for the closing summary. */
  readonly markerDirectory: string;
  /** `TEST_REDIS=cluster`: each file's Redis is a 3-master, 3-replica Cluster of local processes. */
  readonly redisTopology: 'single' | 'cluster';
}

declare module 'vitest' {
  export interface ProvidedContext {
    testServices: ServicePlan;
  }
}

const DEFAULT_REDIS_IMAGE = 'redis:7-alpine';
const DEFAULT_S3_IMAGE = 'minio/minio:latest';
const S3_ACCESS_KEY_ID = 'tts-gateway-test';
const S3_SECRET_ACCESS_KEY = 'tts-gateway-test-secret';
const S3_REGION = 'us-east-1';
const STAND_IN = resolve(import.meta.dirname, '../containers/s3-stand-in.mjs');

/** Reads TEST_SERVICES (containers | processes | auto, auto by default) and probes the engine once. */
export async function planServices(environment: Readonly<Record<string, string | undefined>>, markerDirectory: string): Promise<ServicePlan> {
  const requested = environment['TEST_SERVICES'] ?? 'auto';
  if (requested !== 'containers' && requested !== 'processes' && requested !== 'auto') {
    throw new Error(`TEST_SERVICES must be containers, processes or auto, not "${requested}"`);
  }
  const topology = environment['TEST_REDIS'] ?? 'single';
  if (topology !== 'single' && topology !== 'cluster') throw new Error(`TEST_REDIS must be single or cluster, not "${topology}"`);
  const images = {
    redisImage: environment['TEST_REDIS_IMAGE'] ?? DEFAULT_REDIS_IMAGE,
    s3Image: environment['TEST_S3_IMAGE'] ?? DEFAULT_S3_IMAGE,
    markerDirectory,
    redisTopology: topology,
  } as const;
  if (requested === 'processes') return { kind: 'processes', reason: 'TEST_SERVICES=processes', ...images };
  const engine = await probeEngine();
  if (engine.reachable)
    return {
      kind: 'containers',
      reason: `${requested === 'auto' ? 'a container engine is reachable' : 'TEST_SERVICES=containers'}: ${engine.detail}; images ${images.redisImage} and ${images.s3Image}`,
      ...images,
    };
  if (requested === 'containers') throw new Error(`TEST_SERVICES=containers but no container engine is reachable: ${engine.detail}`);
  return { kind: 'processes', reason: `no container engine is reachable (${engine.detail})`, ...images };
}

async function probeEngine(): Promise<{ reachable: boolean; detail: string }> {
  try {
    const client = await getContainerRuntimeClient();
    return { reachable: true, detail: `${client.info.containerRuntime.host} (engine ${client.info.containerRuntime.serverVersion ?? 'unknown'})` };
  } catch (error) {
    return { reachable: false, detail: error instanceof Error ? (error.message.split('\n')[0] ?? 'unknown error') : String(error) };
  }
}

/** The plan for this run, as the global set-up made it. */
export function servicePlan(): ServicePlan {
  return inject('testServices');
}

/** Notes that the current test file runs on `kind`, so the summary can count its tests. */
async function recordKind(plan: ServicePlan, kind: ServiceKind, service: string): Promise<void> {
  const testPath = expect.getState().testPath;
  if (testPath === undefined) return;
  await mkdir(plan.markerDirectory, { recursive: true });
  const name = createHash('sha256').update(`${testPath}\0${service}`).digest('hex').slice(0, 16);
  await writeFile(join(plan.markerDirectory, `${name}.json`), JSON.stringify({ file: testPath, service, kind }));
}

export interface TestRedis {
  /** Stays the same across halt, kill and resume. */
  readonly url: string;
  readonly kind: ServiceKind;
  readonly running: boolean;
  /** Takes Redis down as an operator would (SIGTERM: the AOF is flushed); its data is kept. */
  halt(): Promise<void>;
  /** Takes Redis down at once (SIGKILL): only what the AOF already holds survives. */
  kill(): Promise<void>;
  /** Brings a halted or killed Redis back on the same URL with the same data, ready for commands. */
  resume(): Promise<void>;
  /** halt then resume; returns the same handle. */
  restart(): Promise<TestRedis>;
  /** Stops Redis for good and removes its data. */
  stop(): Promise<void>;
}

/** A Redis of this test file's own (AOF on, no eviction, as production runs it), on the run's kind. */
export async function startTestRedis(): Promise<TestRedis> {
  const plan = servicePlan();
  if (plan.redisTopology === 'cluster') {
    await recordKind(plan, 'processes', 'redis');
    return startRedisCluster();
  }
  await recordKind(plan, plan.kind, 'redis');
  return plan.kind === 'containers' ? startRedisContainer(plan.redisImage) : startRedisProcess();
}

/** A Cluster behind the same handle; the tests that stop and restart Redis are not in the Cluster run. */
async function startRedisCluster(): Promise<TestRedis> {
  const cluster = await startTestCluster();
  const unsupported = async (): Promise<never> => {
    throw new Error('TEST_REDIS=cluster: halting or restarting a whole Cluster is not part of the Cluster run (see test/integration/redis-topologies/)');
  };
  const handle: TestRedis = {
    url: cluster.url,
    kind: 'processes',
    running: true,
    halt: unsupported,
    kill: unsupported,
    resume: unsupported,
    restart: unsupported,
    stop: () => cluster.stop(),
  };
  return handle;
}

const REDIS_ARGUMENTS = ['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction', '--save', ''];

async function startRedisContainer(image: string): Promise<TestRedis> {
  // A fixed host port, so the URL survives a stop and start of the container.
  const port = await freePort();
  const started = await new GenericContainer(image)
    .withCommand(['redis-server', ...REDIS_ARGUMENTS, '--dir', '/data', '--protected-mode', 'no'])
    .withExposedPorts({ container: 6379, host: port })
    .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
    .withStartupTimeout(30_000)
    .start()
    .catch((error: unknown) => {
      throw new Error(
        `could not start Redis from image ${image} (set TEST_REDIS_IMAGE, or build offline images with scripts/build-test-images.sh): ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  const client = await getContainerRuntimeClient();
  const container = client.container.getById(started.getId());
  const url = `redis://127.0.0.1:${port}`;
  let running = true;
  let removed = false;
  const waitStopped = async (): Promise<void> => {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      if (!(await client.container.inspect(container)).State.Running) return;
      await new Promise((done) => setTimeout(done, 50));
    }
    throw new Error(`Redis container ${started.getId()} did not stop`);
  };
  const handle: TestRedis = {
    url,
    kind: 'containers',
    get running() {
      return running;
    },
    halt: async () => {
      await client.container.stop(container, { timeout: 10 });
      running = false;
    },
    kill: async () => {
      await container.kill({ signal: 'SIGKILL' });
      await waitStopped();
      running = false;
    },
    resume: async () => {
      await client.container.start(container);
      await waitForPong(port);
      running = true;
    },
    restart: async () => {
      await handle.halt();
      await handle.resume();
      return handle;
    },
    stop: async () => {
      if (removed) return;
      removed = true;
      if (running) await started.stop({ timeout: 1 });
      else await client.container.remove(container, { removeVolumes: true });
      running = false;
    },
  };
  return handle;
}

async function startRedisProcess(): Promise<TestRedis> {
  const dataDirectory = await mkdtemp(join(tmpdir(), 'tts-gateway-redis-'));
  const redisServerPath = requireExecutable('redis-server');
  let server: PrivateRedis | undefined = await startPrivateRedis({ redisServerPath, dataDirectory });
  const url = server.url;
  const port = Number(new URL(url).port);
  const handle: TestRedis = {
    url,
    kind: 'processes',
    get running() {
      return server !== undefined;
    },
    halt: async () => {
      await server?.stop();
      server = undefined;
    },
    kill: async () => {
      const child = server?.process;
      server = undefined;
      if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
    resume: async () => {
      server ??= await startPrivateRedis({ redisServerPath, dataDirectory, port });
      await waitForPong(port);
    },
    restart: async () => {
      await handle.halt();
      await handle.resume();
      return handle;
    },
    stop: async () => {
      await server?.stop();
      server = undefined;
      await rm(dataDirectory, { recursive: true, force: true });
    },
  };
  return handle;
}

/** Until Redis answers PING with PONG (not LOADING while it replays the AOF). */
async function waitForPong(port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = await new Promise<string>((done) => {
      const socket = connect(port, '127.0.0.1');
      let reply = '';
      socket.setTimeout(1_000, () => socket.destroy());
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.on('data', (chunk) => {
        reply += chunk.toString('utf8');
        if (reply.includes('\r\n')) socket.end();
      });
      socket.once('close', () => done(reply.trim()));
      socket.once('error', (error) => done(error.message));
    });
    if (last === '+PONG') return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`Redis on port ${port} did not answer PING within ${timeoutMs} ms (last: ${last})`);
}

export interface TestS3 {
  readonly endpoint: string;
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly kind: ServiceKind;
  stop(): Promise<void>;
}

/**
 * An S3-compatible store that verifies Signature Version 4, with `bucket` created: the S3 image
 * (MinIO, or the offline stand-in) in a container, or the stand-in as a local process.
 */
export async function startTestS3(bucket: string): Promise<TestS3> {
  const plan = servicePlan();
  await recordKind(plan, plan.kind, 's3');
  const server = plan.kind === 'containers' ? await startS3Container(plan.s3Image) : await startS3Process();
  const s3: TestS3 = { ...server, bucket, region: S3_REGION, accessKeyId: S3_ACCESS_KEY_ID, secretAccessKey: S3_SECRET_ACCESS_KEY, kind: plan.kind };
  await createBucket(s3).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  return s3;
}

async function startS3Container(image: string): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const started: StartedTestContainer = await new GenericContainer(image)
    .withCommand(['server', '/data'])
    .withEnvironment({ MINIO_ROOT_USER: S3_ACCESS_KEY_ID, MINIO_ROOT_PASSWORD: S3_SECRET_ACCESS_KEY })
    .withExposedPorts(9000)
    .withWaitStrategy(Wait.forLogMessage(/API: http/))
    .withStartupTimeout(30_000)
    .start()
    .catch((error: unknown) => {
      throw new Error(
        `could not start the S3 store from image ${image} (set TEST_S3_IMAGE, or build offline images with scripts/build-test-images.sh): ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  return { endpoint: `http://127.0.0.1:${started.getMappedPort(9000)}`, stop: async () => void (await started.stop({ timeout: 1 })) };
}

async function startS3Process(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'tts-gateway-s3-'));
  const child: ChildProcess = spawn(process.execPath, [STAND_IN, 'server', '--address', '127.0.0.1:0', directory], {
    env: { ...process.env, MINIO_ROOT_USER: S3_ACCESS_KEY_ID, MINIO_ROOT_PASSWORD: S3_SECRET_ACCESS_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((done, fail) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /API: http:\/\/[^:]+:(\d+)/.exec(output);
      if (match?.[1] !== undefined) done(Number(match[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`the S3 stand-in exited with ${String(code)}: ${output.slice(-2000)}`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** An S3 client for tests, set up as the S3 driver sets up its own. */
export function testS3Client(s3: TestS3, credentials: { accessKeyId: string; secretAccessKey: string } = s3): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

async function createBucket(s3: TestS3): Promise<void> {
  const client = testS3Client(s3);
  try {
    // MinIO may log its address a moment before it takes bucket calls.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.send(new CreateBucketCommand({ Bucket: s3.bucket }));
        return;
      } catch (error) {
        if (attempt >= 20) throw error;
        await new Promise((done) => setTimeout(done, 100));
      }
    }
  } finally {
    client.destroy();
  }
}
