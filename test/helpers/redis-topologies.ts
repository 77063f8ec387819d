import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from '../../src/redis/private-redis.js';
import { requireExecutable } from './tools.js';

const run = promisify(execFile);

/** One redis-server (or redis-sentinel) process of a topology, on its own port and folder. */
interface TopologyNode {
  readonly port: number;
  readonly process: ChildProcess;
  readonly alive: boolean;
  /** SIGKILL: gone at once, only what its AOF and its replicas hold survives. */
  kill(): Promise<void>;
}

/** Production settings for every node: AOF on, no eviction (BullMQ needs both). */
const NODE_ARGUMENTS = [
  ...['--bind', '127.0.0.1', '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction', '--save', ''],
  // A replica's first sync starts at once instead of after Redis's default 5 s wait for more replicas.
  ...['--repl-diskless-sync-delay', '0'],
];

async function startNode(binary: string, args: readonly string[], port: number, directory: string): Promise<TopologyNode> {
  await mkdir(directory, { recursive: true });
  const child = spawn(binary, [...args], { cwd: directory, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/Ready to accept connections|Sentinel ID is/.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${binary} on port ${port} exited with ${String(code)}: ${output.slice(-2000)}`)));
  });
  const node: TopologyNode = {
    port,
    process: child,
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    async kill() {
      if (!node.alive) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
  return node;
}

async function stopNodes(nodes: readonly TopologyNode[]): Promise<void> {
  await Promise.all(
    nodes.map(async (node) => {
      if (!node.alive) return;
      const exited = once(node.process, 'exit');
      node.process.kill('SIGTERM');
      await exited;
    }),
  );
}

async function until<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms${last instanceof Error ? ` (last error: ${last.message})` : ''}`);
}

/** One command on one node, over a connection of its own that gives up at once. */
async function ask(port: number, ...command: [string, ...Array<string | number>]): Promise<unknown> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  try {
    await client.connect();
    return await client.call(...command);
  } finally {
    client.disconnect();
  }
}

/** One line per live server: its port, role, link to its master and key count, for a failure's message. */
async function reportOn(nodes: readonly TopologyNode[]): Promise<string> {
  const lines = await Promise.all(
    nodes.map(async (node) => {
      if (!node.alive) return `${node.port}: killed`;
      try {
        const replication = String(await ask(node.port, 'INFO', 'replication'));
        const field = (name: string): string => new RegExp(`^${name}:(.*)$`, 'm').exec(replication)?.[1]?.trim() ?? '-';
        return `${node.port}: ${field('role')}, link ${field('master_link_status')}, offset ${field('master_repl_offset')}, ${String(await ask(node.port, 'DBSIZE'))} keys`;
      } catch (error) {
        return `${node.port}: ${String(error)}`;
      }
    }),
  );
  return lines.join('\n');
}

export interface TestCluster {
  /** `redis+cluster://` with every node, as the gateway is configured. */
  readonly url: string;
  readonly nodes: readonly TopologyNode[];
  /** The node that is master for `key`'s slot now. */
  masterOf(key: string): Promise<TopologyNode>;
  /** Until every live node reports the cluster healthy, every slot has a live master and every replica is in sync. */
  settled(): Promise<void>;
  /** Each node's role, replication link and key count. */
  report(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A real Redis Cluster: `masters` masters with one replica each (`redis-server
 * --cluster-enabled yes` on free ports, joined by `redis-cli --cluster create`). A short node
 * timeout lets a replica take over a killed master within a couple of seconds.
 */
export async function startTestCluster(masters = 3): Promise<TestCluster> {
  const redisServer = requireExecutable('redis-server');
  const redisCli = requireExecutable('redis-cli');
  const directory = await mkdtemp(join(tmpdir(), 'tts-gateway-cluster-'));
  const allPorts = await uniquePorts(masters * 4);
  const ports = allPorts.slice(0, masters * 2);
  const busPorts = allPorts.slice(masters * 2);
  const nodes = await Promise.all(
    ports.map((port, index) =>
      startNode(
        redisServer,
        [
          '--port',
          String(port),
          ...NODE_ARGUMENTS,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-port',
          String(busPorts[index]),
          '--cluster-node-timeout',
          '1000',
          // A replica may always take over, however long it was cut off.
          '--cluster-replica-validity-factor',
          '0',
          '--dir',
          join(directory, String(port)),
        ],
        port,
        join(directory, String(port)),
      ),
    ),
  );
  await run(redisCli, ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '1', '--cluster-yes'], { timeout: 30_000 });
  const cluster: TestCluster = {
    url: `redis+cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`,
    nodes,
    async masterOf(key) {
      const live = nodes.find((node) => node.alive);
      if (live === undefined) throw new Error('no node of the cluster is alive');
      const slot = Number(await ask(live.port, 'CLUSTER', 'KEYSLOT', key));
      const ranges = (await ask(live.port, 'CLUSTER', 'SLOTS')) as Array<[number, number, [string, number, ...unknown[]], ...unknown[]]>;
      const range = ranges.find(([start, end]) => slot >= start && slot <= end);
      const node = nodes.find((candidate) => candidate.port === range?.[2][1]);
      if (node === undefined) throw new Error(`no master serves slot ${slot}`);
      return node;
    },
    async settled() {
      await until(
        async () => {
          for (const node of nodes.filter((candidate) => candidate.alive)) {
            const info = String(await ask(node.port, 'CLUSTER', 'INFO'));
            if (!info.includes('cluster_state:ok')) return undefined;
            const ranges = (await ask(node.port, 'CLUSTER', 'SLOTS')) as Array<[number, number, [string, number, ...unknown[]], ...unknown[]]>;
            const covered = ranges.reduce((sum, [start, end]) => sum + (end - start + 1), 0);
            if (covered !== 16384 || ranges.some((range) => !nodes.find((candidate) => candidate.port === range[2][1])?.alive)) return undefined;
            // A replica that has not finished its first sync holds nothing: were its master lost, its
            // slots would come back empty. (Redis cannot help that; a test must not kill before it.)
            const replication = String(await ask(node.port, 'INFO', 'replication'));
            if (replication.includes('role:slave') && !replication.includes('master_link_status:up')) return undefined;
          }
          return true;
        },
        30_000,
        'the cluster to settle',
      );
    },
    report: () => reportOn(nodes),
    async stop() {
      await stopNodes(nodes);
      await rm(directory, { recursive: true, force: true });
    },
  };
  await cluster.settled();
  return cluster;
}

export interface TestSentinels {
  /** `redis+sentinel://` with every Sentinel and the master's name. */
  readonly url: string;
  readonly name: string;
  readonly servers: readonly TopologyNode[];
  readonly sentinels: readonly TopologyNode[];
  /** The server the Sentinels name as master now. */
  master(): Promise<TopologyNode>;
  /** Each server's role, replication link and key count. */
  report(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A master, two replicas and three Sentinels (Debian's `redis-sentinel`) that promote a replica
 * a second after the master stops answering.
 */
export async function startTestSentinels(): Promise<TestSentinels> {
  const redisServer = requireExecutable('redis-server');
  const redisSentinel = requireExecutable('redis-sentinel');
  const directory = await mkdtemp(join(tmpdir(), 'tts-gateway-sentinel-'));
  const name = 'tts-master';
  const [masterPort, ...others] = await uniquePorts(6);
  const replicaPorts = others.slice(0, 2);
  const sentinelPorts = others.slice(2);
  const serverArgs = (port: number): string[] => ['--port', String(port), ...NODE_ARGUMENTS, '--dir', join(directory, String(port))];
  const master = await startNode(redisServer, serverArgs(masterPort as number), masterPort as number, join(directory, String(masterPort)));
  const replicas = await Promise.all(
    replicaPorts.map((port) =>
      startNode(redisServer, [...serverArgs(port), '--replicaof', '127.0.0.1', String(masterPort)], port, join(directory, String(port))),
    ),
  );
  const sentinels = await Promise.all(
    sentinelPorts.map(async (port) => {
      const folder = join(directory, `sentinel-${port}`);
      await mkdir(folder, { recursive: true });
      // Sentinel rewrites its own configuration file as the topology changes.
      const file = join(folder, 'sentinel.conf');
      await writeFile(
        file,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${folder}`,
          `sentinel monitor ${name} 127.0.0.1 ${masterPort} 2`,
          `sentinel down-after-milliseconds ${name} 1000`,
          `sentinel failover-timeout ${name} 5000`,
          `sentinel parallel-syncs ${name} 2`,
          '',
        ].join('\n'),
      );
      return startNode(redisSentinel, [file], port, folder);
    }),
  );
  const servers = [master, ...replicas];
  const topology: TestSentinels = {
    url: `redis+sentinel://${sentinelPorts.map((port) => `127.0.0.1:${port}`).join(',')}/${name}`,
    name,
    servers,
    sentinels,
    async master() {
      return until(
        async () => {
          const live = sentinels.find((sentinel) => sentinel.alive);
          if (live === undefined) throw new Error('no Sentinel is alive');
          const [, port] = (await ask(live.port, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name)) as [string, string];
          const server = servers.find((candidate) => candidate.port === Number(port));
          if (server === undefined || !server.alive) return undefined;
          const role = (await ask(server.port, 'ROLE')) as [string, ...unknown[]];
          return role[0] === 'master' ? server : undefined;
        },
        30_000,
        'a live master named by the Sentinels',
      );
    },
    report: () => reportOn(servers),
    async stop() {
      await stopNodes([...sentinels, ...servers]);
      await rm(directory, { recursive: true, force: true });
    },
  };
  // Every Sentinel knows the replicas before a test may kill the master.
  await until(
    async () => {
      for (const sentinel of sentinels) {
        const known = (await ask(sentinel.port, 'SENTINEL', 'REPLICAS', name)) as unknown[];
        const others = (await ask(sentinel.port, 'SENTINEL', 'SENTINELS', name)) as unknown[];
        if (known.length < replicas.length || others.length < sentinels.length - 1) return undefined;
      }
      // And every replica has finished its first sync, so a write can reach it before a kill.
      for (const replica of replicas) {
        if (!String(await ask(replica.port, 'INFO', 'replication')).includes('master_link_status:up')) return undefined;
      }
      return true;
    },
    30_000,
    'the Sentinels to find the replicas and each other, and the replicas to sync',
  );
  return topology;
}

/** Free ports, distinct from each other. */
async function uniquePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}
