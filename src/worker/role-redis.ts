import { spawn } from 'node:child_process';
import { ConfigError } from '../config/config-error.js';
import type { RedisTarget } from '../config/redis-target.js';
import { startPrivateRedis, type PrivateRedis } from '../redis/private-redis.js';

export type Role = 'api' | 'worker' | 'all';

export interface RoleRedis {
  readonly target: RedisTarget;
  /** The redis-server this process started, to stop on shutdown. */
  readonly privateRedis: PrivateRedis | undefined;
}

/**
 * The Redis a role works against: the one the environment or config names (`REDIS_URL`, a
 * Cluster or Sentinel). Without one only `all` may run: it
 * starts a redis-server of its own (AOF on, data in `dataDirectory`), since an API and a
 * worker in separate processes could never meet on private servers.
 */
export async function redisForRole(options: {
  readonly role: Role;
  readonly target: RedisTarget | undefined;
  readonly redisServerPath: string | undefined;
  readonly dataDirectory: string;
  readonly parentPid: number;
}): Promise<RoleRedis> {
  if (options.target !== undefined) return { target: options.target, privateRedis: undefined };
  if (options.role !== 'all') {
    throw new ConfigError([
      `--role ${options.role} needs REDIS_URL (or REDIS_HOST and REDIS_PORT, router_settings.redis_host, REDIS_CLUSTER_NODES, or REDIS_SENTINEL_NODES): the api and worker roles meet in one Redis (without one only --role all runs, with a private redis-server)`,
    ]);
  }
  if (options.redisServerPath === undefined) {
    throw new ConfigError(['redis-server was not found on the PATH: set REDIS_URL, or run scripts/start.sh, which installs it']);
  }
  const privateRedis = await startPrivateRedis({ redisServerPath: options.redisServerPath, dataDirectory: options.dataDirectory });
  stopWithParent(options.parentPid, privateRedis);
  return { target: { kind: 'single', url: privateRedis.url }, privateRedis };
}

/**
 * A watchdog that stops the private redis-server if this process dies without shutting
 * down (SIGKILL, a crash), so no orphan keeps the data folder. SIGTERM lets Redis flush its
 * append-only file first.
 */
function stopWithParent(parentPid: number, redis: PrivateRedis): void {
  const redisPid = redis.process.pid;
  if (redisPid === undefined) return;
  const watchdog = spawn('sh', ['-c', `while kill -0 ${parentPid} 2>/dev/null; do sleep 1; done; kill -TERM ${redisPid} 2>/dev/null`], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
  redis.process.once('exit', () => {
    if (watchdog.exitCode === null) watchdog.kill('SIGKILL');
  });
}
