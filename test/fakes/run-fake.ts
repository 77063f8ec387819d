import { parseArgs } from 'node:util';
import { fakeStarters } from './catalog.js';
import type { InjectedFailure } from './fake-server.js';

/**
 * Starts one provider fake on its own, for benchmarks and manual testing:
 *   tsx test/fakes/run-fake.ts openai --port 9100 --latency 50 --chunk-bytes 2048 --chunk-delay 5 --failure-rate 0.3 --failure rate_limited --keep-alive-ms 60000
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '0' },
    latency: { type: 'string', default: '0' },
    'chunk-bytes': { type: 'string', default: '4096' },
    'chunk-delay': { type: 'string', default: '0' },
    'failure-rate': { type: 'string', default: '0' },
    failure: { type: 'string', default: 'server_error' },
    'keep-alive-ms': { type: 'string', default: '1000' },
  },
});
const provider = positionals[0];
const start = provider === undefined ? undefined : fakeStarters[provider];
if (start === undefined) {
  process.stderr.write(
    `usage: run-fake.ts <${Object.keys(fakeStarters).join('|')}> [--port N] [--latency MS] [--chunk-bytes N] [--chunk-delay MS] [--failure-rate P] [--failure KIND] [--keep-alive-ms MS]\n`,
  );
  process.exit(2);
}
const fake = await start({
  port: Number(values.port),
  keepAliveTimeoutMs: Number(values['keep-alive-ms']),
  behaviour: {
    latencyMs: Number(values.latency),
    chunkBytes: Number(values['chunk-bytes']),
    chunkDelayMs: Number(values['chunk-delay']),
    failureRate: Number(values['failure-rate']),
    randomFailure: { kind: values.failure } as InjectedFailure,
  },
});
process.stdout.write(`${provider} fake listening on ${fake.baseUrl}\n`);
process.once('SIGINT', () => void fake.close().then(() => process.exit(0)));
process.once('SIGTERM', () => void fake.close().then(() => process.exit(0)));
