/**
 * Sync-path figures on the local engine, through the real service process:
 *   npm run bench
 * Prints time to first byte and total time for one sentence in mp3 and in pcm, and the
 * service's resident memory while it streams a long text.
 */
import { formatMs, percentile, residentMiB, startService } from './lib/service.js';

const SENTENCE = 'The quick brown fox jumps over the lazy dog, and then it rests in the warm afternoon sun.';
const RUNS = 30;

async function timeRequest(baseUrl: string, body: Record<string, unknown>): Promise<{ firstByteMs: number; totalMs: number; bytes: number }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/v1/audio/speech`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 200 || response.body === null) throw new Error(`status ${response.status}: ${await response.text()}`);
  let firstByteMs = Number.NaN;
  let bytes = 0;
  for await (const chunk of response.body) {
    if (bytes === 0) firstByteMs = performance.now() - started;
    bytes += chunk.length;
  }
  return { firstByteMs, totalMs: performance.now() - started, bytes };
}

const service = await startService();
try {
  console.log(`tts-gateway sync benchmark (local engine, ${RUNS} runs each, one at a time)\n`);
  console.log('format  first byte p50   p95       total p50   p95       bytes');
  for (const format of ['mp3', 'pcm', 'wav', 'opus'] as const) {
    await timeRequest(service.baseUrl, { model: 'tts-1', voice: 'alloy', input: SENTENCE, response_format: format });
    const results = [];
    for (let run = 0; run < RUNS; run += 1) results.push(await timeRequest(service.baseUrl, { model: 'tts-1', voice: 'alloy', input: SENTENCE, response_format: format }));
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
