import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { Role } from '../worker/role-redis.js';

export interface ApiClusterOptions {
  /** How many processes serve the port. */
  readonly processes: number;
  /** The program's own arguments; each process gets them with its role appended (the last `--role` wins). */
  readonly argv: readonly string[];
  readonly role: Exclude<Role, 'worker'>;
  /**
   * The private Redis this process started, which the others must be told of. A Redis the
   * environment or config names (REDIS_URL, a Cluster, a Sentinel) they find themselves, as
   * they inherit both.
   */
  readonly privateRedisUrl: string | undefined;
  readonly logger: Logger;
  /** How long the processes get to finish their requests once told to stop. */
  readonly graceMs: number;
  /** Runs once every process has exited (stops the private Redis). */
  readonly stop: () => Promise<void>;
}

/** A process that dies this soon after starting is failing to start, not crashing under load: no replacement. */
const MIN_UPTIME_MS = 5_000;

/**
 * Runs the API in `processes` processes (node:cluster) that share one listening port; the
 * primary serves nothing itself. All of them meet in one Redis, so keys, limits, routing
 * state, spend and jobs are the same whichever process answers. With role `all`, the first
 * process also runs the job workers, so job concurrency is what the config says, not N times
 * it. A process that dies while serving is replaced; SIGTERM or SIGINT stops every process
 * gracefully (each finishes its requests), then the primary exits 0.
 */
export function runApiCluster(options: ApiClusterOptions): void {
  const { logger } = options;
  const roles = new Map<Worker, Exclude<Role, 'worker'>>();
  const startedAt = new Map<Worker, number>();
  let stopping = false;

  const fork = (role: Exclude<Role, 'worker'>): void => {
    cluster.setupPrimary({ args: [...options.argv, '--role', role] });
    const worker = cluster.fork(options.privateRedisUrl === undefined ? {} : { REDIS_URL: options.privateRedisUrl });
    roles.set(worker, role);
    startedAt.set(worker, Date.now());
  };

  const shutdown = (signal: string, code: number): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, processes: Object.keys(cluster.workers ?? {}).length }, 'shutting down: every process finishes its requests');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    const finish = (): void => void options.stop().then(() => process.exit(code));
    if (Object.keys(cluster.workers ?? {}).length === 0) finish();
    else cluster.on('exit', () => Object.keys(cluster.workers ?? {}).length === 0 && finish());
    // Past the processes' own grace period, whatever still runs is stopped.
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      finish();
    }, options.graceMs + 2_000).unref();
  };

  cluster.on('exit', (worker, exitCode, signal) => {
    const role = roles.get(worker) ?? 'api';
    const uptime = Date.now() - (startedAt.get(worker) ?? 0);
    roles.delete(worker);
    startedAt.delete(worker);
    if (stopping) return;
    logger.error({ pid: worker.process.pid, exitCode, signal, uptimeMs: uptime }, 'an API process exited');
    if (uptime < MIN_UPTIME_MS) {
      logger.error('the API process failed soon after starting: stopping the others');
      shutdown('child failure', 1);
      return;
    }
    fork(role);
  });

  for (let index = 0; index < options.processes; index += 1) fork(index === 0 ? options.role : 'api');
  logger.info({ processes: options.processes, role: options.role }, 'tts-gateway running API processes on one port');
  process.once('SIGTERM', () => shutdown('SIGTERM', 0));
  process.once('SIGINT', () => shutdown('SIGINT', 0));
}

/** Whether this process is one of a cluster's API processes (its primary decided its role and Redis). */
export function isClusterProcess(): boolean {
  return cluster.isWorker;
}

/** The bindings every log line of a cluster's process carries, so a line says which process wrote it. */
export function clusterLogBindings(): Record<string, number> {
  return cluster.isWorker && cluster.worker !== undefined ? { pid: process.pid, worker: cluster.worker.id } : {};
}
