import { once } from 'node:events';
import type { Server } from 'node:http';
import { clusterLogBindings, isClusterProcess, runApiCluster } from './cli/api-cluster.js';
import { parseCliArgs, USAGE } from './cli/args.js';
import { isEntryPoint } from './cli/entry-point.js';
import { composeGateway } from './compose-gateway.js';
import { ConfigError } from './config/config-error.js';
import { readEnvironment } from './config/environment.js';
import { findExecutable } from './config/executables.js';
import { loadConfig } from './config/load-config.js';
import { createLogger } from './logging/logger.js';
import { resolveRedisTarget } from './config/resolve-redis-target.js';
import { connectRedis, describeRedisTarget } from './redis/connection.js';
import { redisForRole } from './worker/role-redis.js';

const DEFAULT_PORT = 4000;
const SHUTDOWN_GRACE_MS = 10_000;

/** Runs the service (`npm start`, the image's entry point, `tts-gateway serve`) with the command line's arguments. */
export async function main(argv: readonly string[]): Promise<void> {
  const args = parseCliArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const environment = readEnvironment(process.env);
  const logger = createLogger(environment.LOG_LEVEL).child(clusterLogBindings());
  const configPath = args.config ?? environment.CONFIG_FILE_PATH;
  const { config, source, warnings } = await loadConfig({ environment: process.env, ...(configPath === undefined ? {} : { path: configPath }) });
  const masterKey = environment.MASTER_KEY ?? environment.LITELLM_MASTER_KEY ?? config.general_settings.master_key;

  const ffmpegPath = findExecutable(environment.FFMPEG_PATH ?? 'ffmpeg', environment.PATH);
  if (ffmpegPath === undefined) {
    throw new ConfigError(['ffmpeg was not found on the PATH (set FFMPEG_PATH, or run scripts/start.sh, which installs it)']);
  }
  const espeakBinaryPath = environment.ESPEAK_ENGINE === 'wasm' ? undefined : findExecutable(environment.ESPEAK_NG_PATH ?? 'espeak-ng', environment.PATH);
  if (environment.ESPEAK_ENGINE === 'binary' && espeakBinaryPath === undefined) {
    throw new ConfigError(['ESPEAK_ENGINE=binary but espeak-ng was not found on the PATH']);
  }

  const role = args.role ?? environment.ROLE ?? 'all';
  // WEB_CONCURRENCY is set platform-wide, so a worker ignores it; --workers on a worker is a mistake.
  if (role === 'worker' && args.workers !== undefined && args.workers > 1) {
    throw new ConfigError(['--workers runs API processes: scale --role worker by starting more of them']);
  }
  const processes = isClusterProcess() || role === 'worker' ? 1 : (args.workers ?? environment.WEB_CONCURRENCY ?? 1);
  const roleRedis = await redisForRole({
    role,
    target: resolveRedisTarget(environment, config.litellm_settings.cache_params, config.router_settings),
    redisServerPath: findExecutable('redis-server', environment.PATH),
    dataDirectory: 'data/redis',
    parentPid: process.pid,
  });
  logger.info({ redis: describeRedisTarget(roleRedis.target) }, 'redis');
  if (processes > 1 && role !== 'worker') {
    runApiCluster({
      processes,
      argv,
      role,
      privateRedisUrl: roleRedis.privateRedis?.url,
      logger,
      graceMs: SHUTDOWN_GRACE_MS,
      stop: async () => {
        await roleRedis.privateRedis?.stop();
      },
    });
    return;
  }
  const redis = connectRedis(roleRedis.target, { name: `tts-gateway-${role}` });
  const gateway = composeGateway({
    config,
    startupWarnings: warnings,
    masterKey,
    tools: { ffmpegPath, espeakBinaryPath, nodePath: process.execPath },
    logger,
    redis,
  });
  const workers = role === 'api' ? undefined : gateway.jobs?.startWorkers(connectRedis(roleRedis.target, { blocking: true, name: 'tts-gateway-worker' }));
  const stopServices = async (): Promise<void> => {
    await workers?.close();
    gateway.cache?.close();
    await gateway.jobs?.close();
    // Flushes the logging callbacks' buffered spend records.
    await gateway.governance.close();
    redis.disconnect();
    await roleRedis.privateRedis?.stop();
  };
  if (role === 'worker') {
    logger.info(
      { config: source, models: gateway.catalog.modelNames, concurrency: config.job_settings.concurrency, storage: config.storage_settings.driver },
      'tts-gateway worker running',
    );
    const stopWorker = (signal: string): void => {
      logger.info({ signal }, 'worker shutting down: finishing the items in flight');
      // Past the grace period the items still held return to the queue when their locks lapse.
      setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
      void stopServices().then(() => process.exit(0));
    };
    process.once('SIGTERM', () => stopWorker('SIGTERM'));
    process.once('SIGINT', () => stopWorker('SIGINT'));
    return;
  }
  // An open service must not be reachable from other machines.
  const host = masterKey === undefined ? '127.0.0.1' : (args.host ?? environment.HOST ?? '0.0.0.0');
  if (masterKey === undefined && (args.host ?? environment.HOST) !== undefined && host !== (args.host ?? environment.HOST)) {
    logger.warn({ requested: args.host ?? environment.HOST }, 'ignoring the requested host: without a master key the service listens on loopback only');
  }
  const port = args.port ?? environment.PORT ?? DEFAULT_PORT;
  const server: Server = gateway.app.listen(port, host);
  await once(server, 'listening');
  const address = server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  logger.info(
    {
      role,
      host,
      port: boundPort,
      config: source,
      models: gateway.catalog.modelNames,
      localEngine: gateway.espeakEngine.kind,
      auth: masterKey === undefined ? 'none' : 'master key',
    },
    `tts-gateway listening on http://${host}:${boundPort}`,
  );
  if (masterKey === undefined) {
    logger.warn(
      'no master key is set (MASTER_KEY, LITELLM_MASTER_KEY or general_settings.master_key): the service accepts every request and listens on loopback only',
    );
  }

  let stopping = false;
  const shutdown = (signal: string): void => {
    // A terminal's Ctrl-C reaches a cluster's processes and its primary, which then sends SIGTERM too.
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close(() => void stopServices().then(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(0);
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/** Says why the service could not start, and exits. */
export function reportStartFailure(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`tts-gateway: ${error.message}\n`);
  } else {
    process.stderr.write(`tts-gateway: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
}

// Run as a program; `tts-gateway serve` imports this module and calls `main` itself.
if (isEntryPoint(import.meta.url, process.argv[1])) main(process.argv.slice(2)).catch(reportStartFailure);
