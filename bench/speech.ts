/**
 * Sync-path figures on the local engine, through the real service process:
 *   npm run bench
 * Prints time to first byte and total time for one sentence in mp3 and in pcm, the
 * service's resident memory while it streams a long text, and a speech-cache hit beside the
 * same request to an OpenAI wire-format fake called directly and through the gateway.
 * `-- --cache-only` runs only the cache rows; `-- --upstream-latency-ms N` sets the fake's
 * time to first byte (100 ms by default).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_OPENAI_API_KEY, startOpenAIFake } from '../test/fakes/openai/server.js';
import { formatMs, percentile, residentMiB, startService } from './lib/service.js';

const SENTENCE = 'The quick brown fox jumps over the lazy dog, and then it rests in the warm afternoon sun.';
const RUNS = 30;

/** The fake's time to first byte: a real provider's is hundreds of milliseconds. */
const latencyArgument = process.argv.indexOf('--upstream-latency-ms');
const UPSTREAM_LATENCY_MS = latencyArgument === -1 ? 100 : Number(process.argv[latencyArgument + 1]);

async function timeRequest(
  baseUrl: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ firstByteMs: number; totalMs: number; bytes: number; cache: string | null }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/v1/audio/speech`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (response.status !== 200 || response.body === null) throw new Error(`status ${response.status}: ${await response.text()}`);
  let firstByteMs = Number.NaN;
  let bytes = 0;
  for await (const chunk of response.body) {
    if (bytes === 0) firstByteMs = performance.now() - started;
    bytes += chunk.length;
  }
  return { firstByteMs, totalMs: performance.now() - started, bytes, cache: response.headers.get('x-tts-cache') };
}

function row(label: string, results: ReadonlyArray<{ firstByteMs: number; totalMs: number; bytes: number }>): string {
  const first = results.map((result) => result.firstByteMs);
  const total = results.map((result) => result.totalMs);
  return `${label.padEnd(34)} ${formatMs(percentile(first, 0.5)).padEnd(16)} ${formatMs(percentile(first, 0.95)).padEnd(9)} ${formatMs(percentile(total, 0.5)).padEnd(11)} ${formatMs(percentile(total, 0.95)).padEnd(9)} ${results[0]?.bytes ?? 0}`;
}

/** A cache hit beside the upstream fake called directly and the gateway without the cache, in one run. */
async function cacheRows(): Promise<void> {
  const fake = await startOpenAIFake({ behaviour: { latencyMs: UPSTREAM_LATENCY_MS }, keepAliveTimeoutMs: 60_000 });
  const directory = await mkdtemp(join(tmpdir(), 'tts-gateway-bench-cache-'));
  const configPath = join(directory, 'config.yaml');
  await writeFile(
    configPath,
    JSON.stringify({
      model_list: [{ model_name: 'tts-1', litellm_params: { model: 'openai/tts-1', api_key: 'os.environ/OPENAI_API_KEY', api_base: `${fake.baseUrl}/v1` } }],
      storage_settings: { path: join(directory, 'audio') },
      litellm_settings: { cache: true, cache_params: { type: 'redis', supported_call_types: ['speech'] } },
    }),
  );
  const gateway = await startService(['--config', configPath], { OPENAI_API_KEY: FAKE_OPENAI_API_KEY });
  try {
    const body = { model: 'tts-1', voice: 'alloy', input: SENTENCE, response_format: 'mp3' };
    const direct = async () => {
      const started = performance.now();
      const response = await fetch(`${fake.baseUrl}/v1/audio/speech`, {
        method: 'POST',
        headers: { authorization: `Bearer ${FAKE_OPENAI_API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      let firstByteMs = Number.NaN;
      let bytes = 0;
      for await (const chunk of response.body ?? []) {
        if (bytes === 0) firstByteMs = performance.now() - started;
        bytes += (chunk as Uint8Array).length;
      }
      return { firstByteMs, totalMs: performance.now() - started, bytes };
    };
    const uncached = () => timeRequest(gateway.baseUrl, body, { 'cache-control': 'no-cache, no-store' });
    const hit = async () => {
      const result = await timeRequest(gateway.baseUrl, body);
      if (result.cache !== 'hit') throw new Error(`expected a cache hit, got ${String(result.cache)}`);
      return result;
    };
    await direct();
    await uncached();
    await timeRequest(gateway.baseUrl, body);
    const results: Record<'direct' | 'uncached' | 'hit', Array<{ firstByteMs: number; totalMs: number; bytes: number }>> = {
      direct: [],
      uncached: [],
      hit: [],
    };
    // Interleaved, so every row sees the same machine load.
    for (let run = 0; run < RUNS; run += 1) {
      results.direct.push(await direct());
      results.uncached.push(await uncached());
      results.hit.push(await hit());
    }
    console.log(`\nspeech cache (OpenAI wire-format fake, ${UPSTREAM_LATENCY_MS} ms to first byte; mp3, ${RUNS} runs each, interleaved)`);
    console.log(`${'path'.padEnd(34)} first byte p50   p95       total p50   p95       bytes`);
    console.log(row('upstream fake, called directly', results.direct));
    console.log(row('gateway, cache bypassed', results.uncached));
    console.log(row('gateway, cache hit', results.hit));
  } finally {
    await gateway.stop();
    await fake.close();
    await rm(directory, { recursive: true, force: true });
  }
}

// `npm run bench -- --cache-only` runs the cache rows alone.
const cacheOnly = process.argv.includes('--cache-only');
const service = cacheOnly ? undefined : await startService();
if (service !== undefined)
  try {
    console.log(`tts-gateway sync benchmark (local engine, ${RUNS} runs each, one at a time)\n`);
    console.log('format  first byte p50   p95       total p50   p95       bytes');
    for (const format of ['mp3', 'pcm', 'wav', 'opus'] as const) {
      await timeRequest(service.baseUrl, { model: 'tts-1', voice: 'alloy', input: SENTENCE, response_format: format });
      const results = [];
      for (let run = 0; run < RUNS; run += 1)
        results.push(await timeRequest(service.baseUrl, { model: 'tts-1', voice: 'alloy', input: SENTENCE, response_format: format }));
      const first = results.map((result) => result.firstByteMs);
      const total = results.map((result) => result.totalMs);
      console.log(
        `${format.padEnd(7)} ${formatMs(percentile(first, 0.5)).padEnd(16)} ${formatMs(percentile(first, 0.95)).padEnd(9)} ${formatMs(percentile(total, 0.5)).padEnd(11)} ${formatMs(percentile(total, 0.95)).padEnd(9)} ${results[0]?.bytes ?? 0}`,
      );
    }

    const pid = service.child.pid ?? 0;
    const idle = residentMiB(pid);
    const longText = 'This sentence is one of many that together make a recording of about half an hour. '.repeat(400);
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, residentMiB(pid))), 25);
    const long = await timeRequest(service.baseUrl, { model: 'tts-1', voice: 'alloy', input: longText, response_format: 'mp3' });
    clearInterval(sampler);
    const audioMiB = long.bytes / (1024 * 1024);
    console.log(`\nlong text: ${longText.length} characters -> ${audioMiB.toFixed(1)} MiB of mp3 (${(long.bytes / 8000 / 60).toFixed(1)} min at 64 kb/s)`);
    console.log(`  first byte ${formatMs(long.firstByteMs)}, total ${formatMs(long.totalMs)}`);
    console.log(`  service resident memory: ${idle.toFixed(1)} MiB idle, ${peak.toFixed(1)} MiB peak while streaming (+${(peak - idle).toFixed(1)} MiB)`);
  } finally {
    await service.stop();
  }
await cacheRows();
