/**
 * Sync throughput, side by side in one run:
 *   npm run bench:sync
 * wrk (1 thread, 64 connections, 8 s, after a 2 s warm-up) posts the same speech request to:
 *   1. the OpenAI fake upstream, direct (it answers the same mp3 every time);
 *   2. a bare Node proxy in front of it (bench/sync/bare-proxy.ts), the floor for any Node gateway;
 *   3. nginx `proxy_pass` with keep-alive, unbuffered, one worker;
 *   4. the gateway, one process, with a master key, one `openai/` deployment, routing state,
 *      spend records and metrics in Redis and a log line per request;
 *   5. the gateway with `--workers 2`.
 * Prints req/s, p50, p99, the gateway's CPU time per request (from /proc, all its processes)
 * and the ratios the targets name. wrk and nginx-light are installed with apt-get when absent.
 * Set DURATION (seconds, default 8), CONNECTIONS (default 64), ONLY (comma-separated row names:
 * direct,bare,nginx,gateway,workers) and GATEWAY_NODE_FLAGS (for example `--cpu-prof`).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { openSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from '../src/config/executables.js';
import { startPrivateRedis } from '../src/redis/private-redis.js';
import { FAKE_OPENAI_API_KEY } from '../test/fakes/openai/server.js';

const ROOT = new URL('../', import.meta.url).pathname;
const DURATION = Number(process.env['DURATION'] ?? 8);
const CONNECTIONS = Number(process.env['CONNECTIONS'] ?? 64);
const ONLY = new Set((process.env['ONLY'] ?? 'direct,bare,nginx,gateway,workers').split(','));
const GATEWAY_NODE_FLAGS = (process.env['GATEWAY_NODE_FLAGS'] ?? '').split(' ').filter((flag) => flag !== '');
const MASTER_KEY = 'sk-bench-master-key';
const BODY = JSON.stringify({ model: 'tts-1', voice: 'alloy', input: 'The quick brown fox jumps over the lazy dog.', response_format: 'mp3' });
const CLOCK_TICKS_PER_SECOND = 100;

/** wrk and nginx from Debian, installed when absent (nginx is optional: its row is skipped if it cannot be had). */
function ensureTools(): { wrk: string; nginx: string | undefined } {
  const path = process.env['PATH'] ?? '';
  const missing = [findExecutable('wrk', path) === undefined ? 'wrk' : undefined, findNginx() === undefined ? 'nginx-light' : undefined].filter(
    (name): name is string => name !== undefined,
  );
  if (missing.length > 0) {
    process.stdout.write(`installing ${missing.join(', ')} with apt-get\n`);
    const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
    try {
      execFileSync(sudo[0] ?? 'apt-get', [...(sudo.length > 0 ? ['apt-get'] : []), 'update', '-qq'], { stdio: 'inherit' });
      execFileSync(sudo[0] ?? 'apt-get', [...(sudo.length > 0 ? ['apt-get'] : []), 'install', '-y', '-qq', '--no-install-recommends', ...missing], {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } catch (error) {
      process.stdout.write(`apt-get failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  const wrk = findExecutable('wrk', path);
  if (wrk === undefined) throw new Error('wrk is needed (apt-get install wrk)');
  return { wrk, nginx: findNginx() };
}

function findNginx(): string | undefined {
  return findExecutable('nginx', `${process.env['PATH'] ?? ''}:/usr/sbin:/usr/local/sbin`);
}

/** Spawns a process whose stdout goes to a file, and waits until a line matching `ready` appears there. */
async function startLogged(command: string, args: readonly string[], logFile: string, ready: RegExp, environment: Record<string, string> = {}) {
  const out = openSync(logFile, 'w');
  const child = spawn(command, [...args], { cwd: ROOT, env: { ...process.env, ...environment }, stdio: ['ignore', out, 'inherit'] });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} ${args.join(' ')} exited with ${String(child.exitCode)}`);
    const match = ready.exec(readFileSync(logFile, 'utf8'));
    if (match !== null) return { child, match };
    if (Date.now() > deadline) throw new Error(`${command} did not start: ${readFileSync(logFile, 'utf8').slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

interface WrkResult {
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly failures: number;
}

function toMs(value: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(value);
  if (match === null) return Number.NaN;
  const amount = Number(match[1]);
  return match[2] === 'us' ? amount / 1000 : match[2] === 'ms' ? amount : match[2] === 's' ? amount * 1000 : amount * 60_000;
}

async function runWrk(wrk: string, script: string, url: string, seconds: number): Promise<WrkResult> {
  const output = execFileSync(wrk, ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '-s', script, url], { encoding: 'utf8' });
  const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? Number.NaN);
  const failures = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0) + Number(/Socket errors: .*?timeout (\d+)/.exec(output)?.[1] ?? 0);
  return {
    requests,
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? Number.NaN),
    p50Ms: toMs(/\s50%\s+(\S+)/.exec(output)?.[1] ?? ''),
    p99Ms: toMs(/\s99%\s+(\S+)/.exec(output)?.[1] ?? ''),
    failures,
  };
}

/** User plus system CPU seconds of a process and every descendant still alive. */
function cpuSeconds(pid: number): number {
  let ticks = 0;
  const visit = (current: number): void => {
    try {
      const fields = readFileSync(`/proc/${current}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      // utime and stime are fields 14 and 15 of /proc/PID/stat; the split above starts at field 3.
      ticks += Number(fields[11]) + Number(fields[12]);
      for (const task of readdirSync(`/proc/${current}/task`)) {
        for (const child of readFileSync(`/proc/${current}/task/${task}/children`, 'utf8').split(' ').filter(Boolean)) visit(Number(child));
      }
    } catch {
      // The process ended while being read.
    }
  };
  visit(pid);
  return ticks / CLOCK_TICKS_PER_SECOND;
}

interface Row extends WrkResult {
  readonly name: string;
  readonly cpuMicrosPerRequest?: number;
}

async function measure(name: string, wrk: string, script: string, url: string, pid?: number): Promise<Row> {
  await runWrk(wrk, script, url, 2);
  const before = pid === undefined ? 0 : cpuSeconds(pid);
  const result = await runWrk(wrk, script, url, DURATION);
  const cpu = pid === undefined ? undefined : ((cpuSeconds(pid) - before) / result.requests) * 1e6;
  const row: Row = { name, ...result, ...(cpu === undefined ? {} : { cpuMicrosPerRequest: cpu }) };
  process.stdout.write(`  ${describe(row)}\n`);
  return row;
}

function describe(row: Row): string {
  const cpu = row.cpuMicrosPerRequest === undefined ? '' : `, ${row.cpuMicrosPerRequest.toFixed(0)} µs CPU/request`;
  const failed = row.failures > 0 ? `, ${row.failures} failed` : '';
  return `${row.name}: ${row.requestsPerSecond.toFixed(0)} req/s, p50 ${row.p50Ms.toFixed(2)} ms, p99 ${row.p99Ms.toFixed(2)} ms${cpu}${failed}`;
}

const tools = ensureTools();
const directory = await mkdtemp(join(tmpdir(), 'tts-gateway-bench-sync-'));
const children: ChildProcess[] = [];
const rows: Row[] = [];
try {
  const redisServer = findExecutable('redis-server', process.env['PATH'] ?? '');
  if (redisServer === undefined) throw new Error('redis-server is needed (bash scripts/install-dependencies.sh)');
  const redis = await startPrivateRedis({ redisServerPath: redisServer, dataDirectory: join(directory, 'redis') });
  children.push(redis.process);

  const fake = await startLogged(
    process.execPath,
    ['--import', 'tsx', 'test/fakes/run-fake.ts', 'openai', '--keep-alive-ms', '60000'],
    join(directory, 'fake.log'),
    /listening on http:\/\/127\.0\.0\.1:(\d+)/,
  );
  children.push(fake.child);
  const upstream = `http://127.0.0.1:${fake.match[1]}`;

  const script = async (name: string, key: string): Promise<string> => {
    const path = join(directory, `${name}.lua`);
    await writeFile(
      path,
      `wrk.method = "POST"\nwrk.body = ${JSON.stringify(BODY)}\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer ${key}"\n`,
    );
    return path;
  };
  const upstreamScript = await script('upstream', FAKE_OPENAI_API_KEY);
  const gatewayScript = await script('gateway', MASTER_KEY);
  process.stdout.write(`wrk -t1 -c${CONNECTIONS} -d${DURATION}s on ${readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? '?'} cores\n`);

  if (ONLY.has('direct')) rows.push(await measure('fake upstream, direct', tools.wrk, upstreamScript, `${upstream}/v1/audio/speech`));

  if (ONLY.has('bare')) {
    const bare = await startLogged(
      process.execPath,
      ['--import', 'tsx', 'bench/sync/bare-proxy.ts', upstream, FAKE_OPENAI_API_KEY],
      join(directory, 'bare.log'),
      /port (\d+)/,
    );
    children.push(bare.child);
    rows.push(
      await measure('bare Node proxy (http + undici Pool)', tools.wrk, upstreamScript, `http://127.0.0.1:${bare.match[1]}/v1/audio/speech`, bare.child.pid),
    );
    await stop(bare.child);
  }

  if (ONLY.has('nginx')) {
    if (tools.nginx === undefined) process.stdout.write('  nginx: not installed, row skipped\n');
    else {
      const port = await freePort();
      const conf = join(directory, 'nginx.conf');
      await writeFile(
        conf,
        `daemon off;\nworker_processes 1;\npid ${directory}/nginx.pid;\nerror_log ${directory}/nginx-error.log;\nevents { worker_connections 1024; }\nhttp {\n  access_log off;\n  client_body_temp_path ${directory}/nginx-body;\n  proxy_temp_path ${directory}/nginx-proxy;\n  upstream fake { server ${upstream.replace('http://', '')}; keepalive 128; }\n  server {\n    listen 127.0.0.1:${port};\n    keepalive_requests 1000000;\n    location / {\n      proxy_pass http://fake;\n      proxy_http_version 1.1;\n      proxy_set_header Connection "";\n      proxy_buffering off;\n      proxy_request_buffering off;\n    }\n  }\n}\n`,
      );
      const nginx = spawn(tools.nginx, ['-c', conf, '-p', directory], { stdio: 'inherit' });
      children.push(nginx);
      await waitForPort(port);
      rows.push(await measure('nginx proxy_pass, 1 worker', tools.wrk, upstreamScript, `http://127.0.0.1:${port}/v1/audio/speech`, nginx.pid));
      await stop(nginx);
    }
  }

  const config = join(directory, 'config.yaml');
  await writeFile(
    config,
    JSON.stringify({
      model_list: [{ model_name: 'tts-1', litellm_params: { model: 'openai/tts-1', api_key: FAKE_OPENAI_API_KEY, api_base: `${upstream}/v1` } }],
    }),
  );
  const gatewayEnvironment = { MASTER_KEY, REDIS_URL: redis.url, PORT: '0', HOST: '127.0.0.1' };
  for (const [name, workers] of [
    ['gateway', 1],
    ['workers', 2],
  ] as const) {
    if (!ONLY.has(name)) continue;
    const args = [
      ...GATEWAY_NODE_FLAGS,
      '--import',
      'tsx',
      'src/main.ts',
      '--role',
      'api',
      '--config',
      config,
      ...(workers > 1 ? ['--workers', String(workers)] : []),
    ];
    const gateway = await startLogged(process.execPath, args, join(directory, `${name}.log`), /"port":(\d+)/, gatewayEnvironment);
    children.push(gateway.child);
    const label = workers > 1 ? `tts-gateway --workers ${workers}` : 'tts-gateway, one process';
    rows.push(await measure(label, tools.wrk, gatewayScript, `http://127.0.0.1:${gateway.match[1]}/v1/audio/speech`, gateway.child.pid));
    await stop(gateway.child);
  }
  await redis.stop();

  printTable(rows);
} finally {
  for (const child of children.reverse()) await stop(child).catch(() => undefined);
  if (process.env['KEEP'] === undefined) await rm(directory, { recursive: true, force: true });
  else process.stdout.write(`kept ${directory}\n`);
}

function printTable(results: readonly Row[]): void {
  const direct = results.find((row) => row.name.startsWith('fake upstream'));
  const bare = results.find((row) => row.name.startsWith('bare'));
  process.stdout.write('\n| target | req/s | p50 | p99 | CPU/request | vs bare proxy | p50 over direct |\n| --- | --- | --- | --- | --- | --- | --- |\n');
  for (const row of results) {
    const ratio = bare === undefined ? '' : `${(row.requestsPerSecond / bare.requestsPerSecond).toFixed(2)}x`;
    const overhead = direct === undefined || row === direct ? '' : `${(row.p50Ms - direct.p50Ms).toFixed(2)} ms`;
    const cpu = row.cpuMicrosPerRequest === undefined ? '' : `${row.cpuMicrosPerRequest.toFixed(0)} µs`;
    process.stdout.write(
      `| ${row.name} | ${row.requestsPerSecond.toFixed(0)} | ${row.p50Ms.toFixed(2)} ms | ${row.p99Ms.toFixed(2)} ms | ${cpu} | ${ratio} | ${overhead} |${row.failures > 0 ? ` ${row.failures} failed` : ''}\n`,
    );
  }
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number): Promise<void> {
  const { connect } = await import('node:net');
  for (let tries = 0; tries < 200; tries += 1) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on port ${port}`);
}
