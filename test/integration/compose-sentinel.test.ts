import { GenericContainer, getContainerRuntimeClient, Network, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../src/jobs/job-view.js';
import type { FakeServer } from '../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../fakes/openai/server.js';
import { activeServices, loadCompose } from '../helpers/compose-file.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { JOB_KEYS } from '../helpers/job-keys.js';
import { servicePlan } from '../helpers/services.js';
import { waitUntil } from '../helpers/wait-until.js';
import { Redis } from 'ioredis';

/**
 * docker-compose.yml's `sentinel` profile, run as Compose would: its Redis, replica and Sentinel
 * services as containers on one network under their service names, with their own commands and
 * the Sentinel config they mount. The gateway is pointed at the REDIS_URL the file documents, its
 * host names read as the network's DNS answers them, and keeps a job going through the loss of
 * the master.
 */
const REDIS_URL = 'redis+sentinel://sentinel-1:26379,sentinel-2:26379,sentinel-3:26379/tts-gateway';
const compose = loadCompose({ MASTER_KEY: 'sk-compose', REDIS_URL });
const plan = servicePlan();
const notRunBecause = plan.kind === 'containers' ? undefined : `the run is on processes (${plan.reason})`;
if (notRunBecause !== undefined) console.warn(`docker-compose.yml's sentinel profile is not run: ${notRunBecause}`);

const ITEMS = 40;

describe(`docker-compose.yml's sentinel profile${notRunBecause === undefined ? '' : ` (NOT RUN: ${notRunBecause})`}`, () => {
  let network: StartedNetwork;
  const containers = new Map<string, StartedTestContainer>();
  let fake: FakeServer;
  let api: RunningGateway;

  /** A service of the profile, started from its own command and configs on the test's Redis image. */
  async function startService(name: string): Promise<StartedTestContainer> {
    const service = compose.services[name];
    if (service?.command === undefined) throw new Error(`docker-compose.yml has no command for ${name}`);
    const files = (service.configs ?? []).map((config) => {
      if (typeof config === 'string' || config.target === undefined) throw new Error(`${name} mounts a config without a target`);
      const content = compose.configs?.[config.source]?.content;
      if (content === undefined) throw new Error(`${name} mounts ${config.source}, which has no content`);
      return { content, target: config.target, mode: 0o644 };
    });
    const started = await new GenericContainer(plan.redisImage)
      .withCommand(service.command)
      .withNetwork(network)
      .withNetworkAliases(name)
      .withCopyContentToContainer(files)
      .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections|Sentinel ID is/))
      .withStartupTimeout(30_000)
      .start();
    containers.set(name, started);
    return started;
  }

  const ipOf = (name: string): string => {
    const container = containers.get(name);
    if (container === undefined) throw new Error(`${name} is not running`);
    return container.getIpAddress(network.getName());
  };

  /** One command to one container, from this host (the bridge network is routed to it). */
  async function ask(name: string, port: number, ...command: [string, ...string[]]): Promise<unknown> {
    const client = new Redis({ host: ipOf(name), port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
    try {
      await client.connect();
      return await client.call(...command);
    } finally {
      client.disconnect();
    }
  }

  beforeAll(async () => {
    if (notRunBecause !== undefined) return;
    network = await new Network().start();
    const profile = activeServices(compose, ['sentinel']).filter((name) => /^(redis|sentinel)/.test(name));
    expect(profile.sort()).toEqual(['redis', 'redis-replica-1', 'redis-replica-2', 'sentinel-1', 'sentinel-2', 'sentinel-3']);
    // In Compose's order: the replicas and the Sentinels wait for `redis` to be healthy.
    await startService('redis');
    await Promise.all(['redis-replica-1', 'redis-replica-2', 'sentinel-1', 'sentinel-2', 'sentinel-3'].map(startService));
    await waitUntil(
      async () => {
        for (const sentinel of ['sentinel-1', 'sentinel-2', 'sentinel-3']) {
          const replicas = (await ask(sentinel, 26379, 'SENTINEL', 'REPLICAS', 'tts-gateway').catch(() => [])) as unknown[];
          const others = (await ask(sentinel, 26379, 'SENTINEL', 'SENTINELS', 'tts-gateway').catch(() => [])) as unknown[];
          if (replicas.length < 2 || others.length < 2) return undefined;
        }
        // And both replicas hold the master's data (their first sync waits 5 s for more replicas).
        for (const replica of ['redis-replica-1', 'redis-replica-2']) {
          const replication = String(await ask(replica, 6379, 'INFO', 'replication').catch(() => ''));
          if (!replication.includes('master_link_status:up')) return undefined;
        }
        return true;
      },
      60_000,
      'the Sentinels to find both replicas and each other, and the replicas to sync',
    );
    fake = await startOpenAIFake({ behaviour: { latencyMs: 50 } });
    // The gateway's REDIS_URL exactly as the file sets it, each service name read as the network's DNS answers it.
    const url = compose.services['api']?.environment?.['REDIS_URL'] ?? '';
    expect(url).toBe(REDIS_URL);
    const resolved = url.replace(/sentinel-\d/g, (name) => ipOf(name));
    api = await startGateway({
      ...JOB_KEYS,
      redis: resolved,
      config: {
        model_list: [{ model_name: 'narrator', litellm_params: { model: 'openai/tts-1', api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1` } }],
        general_settings: { master_key: 'sk-master' },
        job_settings: { concurrency: 2, lock_seconds: 2, item_backoff_seconds: 0.1 },
      },
    });
    api.startWorkers();
  }, 180_000);
  afterAll(async () => {
    await api?.close();
    await fake?.close();
    for (const container of containers.values()) await container.stop({ timeout: 1 }).catch(() => undefined);
    await network?.stop();
  });

  it.skipIf(notRunBecause !== undefined)(
    'promotes a replica when the master is killed, and the gateway finishes its job on it',
    { timeout: 180_000 },
    async () => {
      const [, masterPort] = (await ask('sentinel-1', 26379, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'tts-gateway')) as [string, string];
      expect(Number(masterPort)).toBe(6379);
      const items = Array.from({ length: ITEMS }, (_, index) => ({ input: `Line ${index} of the compose run.` }));
      const created = await api.request('POST', '/v1/audio/speech/jobs', {
        key: 'sk-master',
        body: { model: 'narrator', voice: 'alloy', response_format: 'pcm', items },
      });
      expect(created.status).toBe(202);
      const id = (created.body as JobView).id;
      const getJob = async (): Promise<JobView> => (await api.request('GET', `/v1/audio/speech/jobs/${id}`, { key: 'sk-master' })).body as JobView;
      await waitUntil(async () => ((await getJob()).request_counts.completed >= 5 ? true : undefined), 60_000, 'the job under way');

      const masterIp = ipOf('redis');
      const runtime = await getContainerRuntimeClient();
      await runtime.container.getById(containers.get('redis')?.getId() ?? '').kill({ signal: 'SIGKILL' });
      // The profile's Sentinels agree the master is gone (5 s) and promote one of the replicas.
      const promoted = await waitUntil(
        async () => {
          const [host] = (await ask('sentinel-2', 26379, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'tts-gateway')) as [string, string];
          return host !== masterIp && host !== 'redis' ? host : undefined;
        },
        60_000,
        'a replica promoted by the Sentinels',
      );
      expect([ipOf('redis-replica-1'), ipOf('redis-replica-2'), 'redis-replica-1', 'redis-replica-2']).toContain(promoted);

      const job = await waitUntil(
        async () => {
          const current = await getJob();
          return current.status === 'completed' || current.status === 'failed' ? current : undefined;
        },
        120_000,
        'the job to end on the promoted master',
      ).catch(async (error: unknown) => {
        const complaints = api.rawLogs.filter((line) => /"level":"(warn|error|fatal)"/.test(line)).slice(-20);
        throw new Error([String(error), `job: ${JSON.stringify(await getJob().catch(String))}`, ...complaints.map((line) => line.slice(0, 600))].join('\n'));
      });
      expect(job.request_counts).toEqual({ total: ITEMS, completed: ITEMS, failed: 0, cancelled: 0 });
      const spoken = await fetch(`${api.baseUrl}/v1/audio/speech`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-master', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'narrator', voice: 'alloy', input: 'After the failover.', response_format: 'pcm' }),
      });
      expect(spoken.status).toBe(200);
    },
  );
});
