/**
 * The router under injected faults, in process, against two OpenAI wire-format fakes:
 *   npm run bench:router
 * `flaky` fails 30% of its calls with a 500; `limited` takes LIMIT calls a second and answers
 * the rest with a 429 and `retry-after: 1`. 2,000 calls, CONCURRENCY at a time, each read to
 * the end of its audio. Prints the success rate and latency percentiles of each way of calling:
 * one attempt straight at a deployment, and the router with its defaults and with settings
 * tuned for a flaky-but-usable deployment.
 */
import type { RouterSettings } from '../src/config/schema.js';
import { parseConfigDocument } from '../src/config/load-config.js';
import { buildCatalog, type Deployment, type ModelCatalog } from '../src/domain/catalog.js';
import { primeStream } from '../src/core/prime-stream.js';
import { builtInProviders } from '../src/providers/built-in.js';
import { createBinaryEspeakEngine } from '../src/providers/espeak/espeak-engine.js';
import { createProviderRegistry } from '../src/providers/registry.js';
import { createRouter } from '../src/router/router.js';
import type { FakeServer } from '../test/fakes/fake-server.js';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../test/fakes/openai/server.js';
import { formatMs, percentile } from './lib/service.js';
import { createUpstreamAgent } from '../src/providers/shared/upstream-agent.js';

const CALLS = 2000;
const CONCURRENCY = 16;
const LIMIT_PER_SECOND = 150;
const UPSTREAM_LATENCY_MS = 15;

/** Fails when the fake's draw is below `failureRate`: drawing 0 past the second's budget makes it a rate limiter. */
function perSecondLimiter(limit: number): () => number {
  let window = 0;
  let used = 0;
  return () => {
    const current = Math.floor(Date.now() / 1000);
    if (current !== window) {
      window = current;
      used = 0;
    }
    used += 1;
    return used <= limit ? 1 : 0;
  };
}

const flaky = await startOpenAIFake({ behaviour: { latencyMs: UPSTREAM_LATENCY_MS, failureRate: 0.3, randomFailure: { kind: 'server_error' } } });
const limited = await startOpenAIFake({
  behaviour: { latencyMs: UPSTREAM_LATENCY_MS, failureRate: 1, randomFailure: { kind: 'rate_limited', retryAfterSeconds: 1 } },
  random: perSecondLimiter(LIMIT_PER_SECOND),
});

function catalogAndSettings(routerSettings: Record<string, unknown>): { catalog: ModelCatalog; settings: RouterSettings } {
  const deployment = (id: string, fake: FakeServer) => ({
    model_name: 'tts',
    litellm_params: { model: 'openai/tts-1', api_key: 'os.environ/KEY', api_base: `${fake.baseUrl}/v1` },
    model_info: { id },
  });
  const config = parseConfigDocument(
    { model_list: [deployment('flaky', flaky), deployment('limited', limited)], router_settings: routerSettings },
    { KEY: FAKE_OPENAI_API_KEY },
  );
  // The espeak engine is never called here; the catalog wants one for completeness.
  const catalog = buildCatalog(config, createProviderRegistry(builtInProviders), {
    dispatcher: createUpstreamAgent(),
    fetch: globalThis.fetch,
    espeakEngine: createBinaryEspeakEngine('espeak-ng'),
  });
  return { catalog, settings: config.router_settings };
}

/** One upstream call, its audio read to the end. */
async function speak(deployment: Deployment, signal: AbortSignal): Promise<number> {
  const result = await deployment.adapter.synthesize({
    input: 'A sentence for the benchmark.',
    voice: 'alloy',
    format: 'mp3',
    speed: 1,
    signal,
  });
  let bytes = 0;
  for await (const chunk of await primeStream(result.audio)) bytes += chunk.length;
  return bytes;
}

async function run(name: string, call: () => Promise<unknown>): Promise<void> {
  const latencies: number[] = [];
  let succeeded = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CALLS) {
        next += 1;
        const callStarted = performance.now();
        try {
          await call();
          succeeded += 1;
        } catch {
          // A failed call counts against the success rate; its latency still counts.
        }
        latencies.push(performance.now() - callStarted);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${name.padEnd(44)} ${((succeeded / CALLS) * 100).toFixed(1).padStart(6)}%  ${formatMs(percentile(latencies, 0.5)).padStart(9)} ${formatMs(percentile(latencies, 0.95)).padStart(9)} ${formatMs(percentile(latencies, 0.99)).padStart(9)}  ${seconds.toFixed(1)} s`,
  );
}

try {
  console.log(
    `router under faults: ${CALLS} calls, ${CONCURRENCY} at a time; flaky fails 30% (500), limited takes ${LIMIT_PER_SECOND}/s (429, retry-after 1 s); upstream latency ${UPSTREAM_LATENCY_MS} ms\n`,
  );
  console.log(`${'way of calling'.padEnd(44)} success      p50       p95       p99   wall`);
  const direct = catalogAndSettings({});
  const [flakyDeployment, limitedDeployment] = direct.catalog.group('tts') ?? [];
  if (flakyDeployment === undefined || limitedDeployment === undefined) throw new Error('the benchmark config lost a deployment');
  // Each call has its own signal, as each HTTP request does.
  const fresh = (): AbortSignal => new AbortController().signal;
  await run('no router: one attempt on flaky', () => speak(flakyDeployment, fresh()));
  await run('no router: one attempt on limited', () => speak(limitedDeployment, fresh()));
  await run('no router: one attempt on either (50/50)', () => speak(Math.random() < 0.5 ? flakyDeployment : limitedDeployment, fresh()));

  const routed = async (name: string, settings: Record<string, unknown>): Promise<void> => {
    const { catalog, settings: parsed } = catalogAndSettings(settings);
    const router = createRouter({ catalog, settings: parsed, random: Math.random, now: Date.now });
    await run(name, () => router.route({ modelName: 'tts', inputCharacters: 29, signal: fresh(), voice: 'alloy' }, speak));
  };
  await routed('router, LiteLLM defaults (2 retries, 3 fails)', {});
  await routed('router, 3 retries, allowed_fails 1000', { num_retries: 3, allowed_fails: 1000 });
  await routed('router, least-busy, 3 retries, fails 1000', { routing_strategy: 'least-busy', num_retries: 3, allowed_fails: 1000 });
} finally {
  await Promise.all([flaky.close(), limited.close()]);
}
