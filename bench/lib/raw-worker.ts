/**
 * A bare BullMQ worker in its own process, for the jobs benchmark's baselines: it takes the
 * jobs already waiting on queue `raw` and, per job, does nothing (`noop`), the same HTTP call
 * the OpenAI adapter makes to the fake (`http`), or that call plus an atomic file write of the
 * audio (`http-file`: temporary file, then rename). Prints `{"jobsPerSecond": …, "cpuMsPerJob": …}` when done.
 * Arguments: redis URL, queue prefix, mode, job count, concurrency, fake base URL, API key, folder.
 */
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import { connectRedis } from '../../src/redis/connection.js';

const [redisUrl = '', prefix = '', mode = 'noop', count = '0', concurrency = '16', fakeUrl = '', apiKey = '', folder = ''] = process.argv.slice(2);
const total = Number(count);

async function speech(index: number): Promise<Uint8Array[]> {
  const response = await fetch(`${fakeUrl}/v1/audio/speech`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'tts-1', input: `Benchmark item ${index}.`, voice: 'alloy', response_format: 'pcm', speed: 1 }),
  });
  if (!response.ok || response.body === null) throw new Error(`the fake answered ${response.status}`);
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body) chunks.push(chunk);
  return chunks;
}

const processors: Record<string, (index: number) => Promise<void>> = {
  noop: async () => undefined,
  http: async (index) => {
    await speech(index);
  },
  'http-file': async (index) => {
    const chunks = await speech(index);
    const target = join(folder, `${index}.pcm`);
    await writeFile(`${target}.partial`, chunks);
    await rename(`${target}.partial`, target);
  },
};
const processor = processors[mode];
if (processor === undefined) throw new Error(`unknown mode ${mode}`);

const connection = connectRedis(redisUrl, { blocking: true });
let done = 0;
const started = performance.now();
const cpuBefore = process.cpuUsage();
await new Promise<void>((resolve) => {
  const worker = new Worker('raw', async (job) => processor(Number((job.data as { index: number }).index)), {
    connection,
    prefix,
    concurrency: Number(concurrency),
  });
  worker.on('completed', () => {
    done += 1;
    if (done === total) void worker.close().then(resolve);
  });
});
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  `${JSON.stringify({ jobsPerSecond: total / ((performance.now() - started) / 1000), cpuMsPerJob: (cpu.user + cpu.system) / 1000 / total })}\n`,
);
connection.disconnect();
process.exit(0);
