import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../../src/jobs/job-view.js';
import type { FakeServer } from '../../fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../../fakes/openai/server.js';
import { startGateway, type RunningGateway } from '../../helpers/gateway.js';
import { JOB_KEYS } from '../../helpers/job-keys.js';
import { startTestCluster, startTestSentinels } from '../../helpers/redis-topologies.js';
import { waitUntil } from '../../helpers/wait-until.js';
import { startWebhookReceiver } from '../../helpers/webhook-receiver.js';
import { startWorkerProcess, type WorkerProcess } from '../../helpers/worker-process.js';

const ITEMS = 300;
const PREFIX = 'failover';
/** How long a synchronous caller waits before giving up; an answer after it is a hang. */
const SYNC_DEADLINE_MS = 10_000;
// The waits below bound each phase; each test's budget is their sum, so a slow, loaded machine fails on
// the phase that stalled (with its name and what it left behind) rather than on a blanket timeout.
const PROGRESS_MS = 90_000;
const RECOVERY_MS = 120_000;

/** A Redis set-up with a master to lose: the gateway's URL for it, the kill, and the wait for a new master. */
interface Topology {
  readonly url: string;
  /** SIGKILLs the master that holds the queues. */
  killMaster(): Promise<void>;
  /** Until a replica serves in its place. */
  recovered(): Promise<void>;
  /** Each server's role, replication link and key count, for a failure's message. */
  report(): Promise<string>;
  stop(): Promise<void>;
}

const TOPOLOGIES: ReadonlyArray<readonly [string, () => Promise<Topology>]> = [
  [
    'a Redis Cluster (3 masters, 3 replicas), losing the master that holds the queues and the job records',
    async () => {
      const cluster = await startTestCluster();
      return {
        url: cluster.url,
        // BullMQ's keys and the job records share the `{failover}` hash tag: this master holds them all.
        killMaster: async () => (await cluster.masterOf(`{${PREFIX}}:speech-items:wait`)).kill(),
        recovered: () => cluster.settled(),
        report: () => cluster.report(),
        stop: () => cluster.stop(),
      };
    },
  ],
  [
    'Sentinel (a master, 2 replicas, 3 Sentinels), losing the master',
    async () => {
      const sentinels = await startTestSentinels();
      const killed: number[] = [];
      return {
        url: sentinels.url,
        killMaster: async () => {
          const master = await sentinels.master();
          killed.push(master.port);
          await master.kill();
        },
        recovered: async () => {
          const promoted = await sentinels.master();
          if (killed.includes(promoted.port)) throw new Error('the Sentinels still name the killed master');
        },
        report: () => sentinels.report(),
        stop: () => sentinels.stop(),
      };
    },
  ],
];

interface SyncAnswer {
  readonly status: number;
  readonly retryAfter: string | null;
  /** Set when the call got no answer at all: refused, reset or past its deadline. */
  readonly error?: string;
}

describe.each(TOPOLOGIES)('on %s', (_name, startTopology) => {
  let topology: Topology;
  let fake: FakeServer;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let api: RunningGateway;
  let directory: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    [topology, fake, receiver] = await Promise.all([startTopology(), startOpenAIFake({ behaviour: { latencyMs: 20 } }), startWebhookReceiver()]);
    directory = await mkdtemp(join(tmpdir(), 'tts-gateway-failover-'));
    const config = {
      model_list: [{ model_name: 'narrator', litellm_params: { model: 'openai/tts-1', api_key: FAKE_OPENAI_API_KEY, api_base: `${fake.baseUrl}/v1` } }],
      general_settings: { master_key: 'sk-master' },
      storage_settings: { path: join(directory, 'audio'), signing_secret: 'a-shared-secret-for-the-failover-test' },
      webhook_settings: { allow_private_networks: true, initial_backoff_seconds: 0.1, max_backoff_seconds: 1, timeout_seconds: 2 },
      // Short locks: an item whose completion a lost master forgot comes back within seconds.
      job_settings: { redis_prefix: PREFIX, concurrency: 4, lock_seconds: 2, item_backoff_seconds: 0.1 },
    };
    const configPath = join(directory, 'config.json');
    await writeFile(configPath, JSON.stringify(config));
    api = await startGateway({ ...JOB_KEYS, redis: topology.url, config });
    workers.push(...(await Promise.all([startWorkerProcess(configPath, topology.url), startWorkerProcess(configPath, topology.url)])));
  }, 120_000);
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await api?.close();
    await Promise.all([topology?.stop(), fake?.close(), receiver?.close()]);
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  });

  const getJob = async (id: string): Promise<JobView> => (await api.request('GET', `/v1/audio/speech/jobs/${id}`)).body as JobView;

  /** Synchronous speech calls one after another until `stop`, each with its own deadline. */
  async function callWhile(stop: () => boolean, answers: SyncAnswer[]): Promise<void> {
    while (!stop()) {
      try {
        const response = await fetch(`${api.baseUrl}/v1/audio/speech`, {
          method: 'POST',
          headers: { authorization: 'Bearer sk-master', 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'narrator', voice: 'alloy', input: 'Still here.', response_format: 'pcm' }),
          // A call past its deadline rejects here and is recorded as unanswered, which fails the test.
          signal: AbortSignal.timeout(SYNC_DEADLINE_MS),
        });
        await response.arrayBuffer();
        answers.push({ status: response.status, retryAfter: response.headers.get('retry-after') });
      } catch (error) {
        answers.push({ status: 0, retryAfter: null, error: String((error as Error).cause ?? error) });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** What a stalled recovery left behind: the job, the queues and what the workers complained of. */
  async function whereItStalled(id: string): Promise<string> {
    const job = await getJob(id).catch((error: unknown) => String(error));
    const metrics = await fetch(`${api.baseUrl}/metrics`, { headers: { authorization: 'Bearer sk-master' } })
      .then(async (response) => (await response.text()).split('\n').filter((line) => line.startsWith('tts_queue_depth')))
      .catch((error: unknown) => [String(error)]);
    const complaints = workers.map((worker, index) =>
      worker
        .output()
        .split('\n')
        .filter((line) => /"level":"(warn|error|fatal)"/.test(line))
        .slice(-15)
        .map((line) => `worker ${index}: ${line.slice(0, 600)}`),
    );
    return [`job: ${JSON.stringify(job)}`, await topology.report(), ...metrics, ...complaints.flat()].join('\n');
  }

  it('loses no item and no webhook, and answers every sync call in time, while the master is killed and a replica takes over', {
    timeout: PROGRESS_MS + RECOVERY_MS + 30_000,
  }, async () => {
    const items = Array.from({ length: ITEMS }, (_, index) => ({ input: `Sentence ${index} outlives its master.` }));
    const created = await api.request('POST', '/v1/audio/speech/jobs', {
      body: { model: 'narrator', voice: 'alloy', response_format: 'pcm', items, webhook: { url: receiver.url } },
    });
    expect(created.status).toBe(202);
    const id = (created.body as JobView).id;

    let done = false;
    const answers: SyncAnswer[] = [];
    const calls = callWhile(() => done, answers);
    try {
      await waitUntil(async () => ((await getJob(id)).request_counts.completed >= ITEMS / 5 ? true : undefined), PROGRESS_MS, 'a fifth of the items');
      const atKill = await getJob(id);
      await topology.killMaster();
      // The master went with the job under way.
      expect(atKill.request_counts.completed).toBeLessThan(ITEMS);
      await topology.recovered();
      const job = await waitUntil(
        async () => {
          const current = await getJob(id);
          return current.webhook?.status === 'delivered' || current.webhook?.status === 'failed' ? current : undefined;
        },
        RECOVERY_MS,
        'the job to end and its webhook to be delivered',
      ).catch(async (error: unknown) => {
        throw new Error(`${String(error)}\n${await whereItStalled(id)}`);
      });
      expect(job.status).toBe('completed');
      expect(job.request_counts).toEqual({ total: ITEMS, completed: ITEMS, failed: 0, cancelled: 0 });
      expect(job.webhook).toMatchObject({ status: 'delivered', last_status: 200 });
    } finally {
      done = true;
      await calls;
    }

    // Every item stored once, at its own key; the webhook delivered once.
    const files = await readdir(join(directory, 'audio', 'jobs', id, 'items'));
    expect(files.filter((file) => /^\d+\.pcm$/.test(file)).length).toBe(ITEMS);
    expect(receiver.received).toHaveLength(1);
    expect(JSON.parse(receiver.received[0]?.body ?? '{}')).toMatchObject({ data: { id, status: 'completed' } });

    // Every synchronous call was answered before its deadline: served, or a 503 that says when to come back.
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((answer) => answer.error !== undefined)).toEqual([]);
    for (const answer of answers) {
      if (answer.status === 503) expect(answer.retryAfter).not.toBeNull();
      else expect(answer.status).toBe(200);
    }
  });
});
