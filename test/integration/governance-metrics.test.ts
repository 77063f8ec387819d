import parsePrometheusTextFormat, { type MetricFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_DOCUMENT } from '../../src/config/default-config.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { movableClock } from '../helpers/clock.js';

let running: RunningGateway;
let depth = 3;

beforeAll(async () => {
  const config = { ...(DEFAULT_CONFIG_DOCUMENT as Record<string, unknown>) };
  // The local engine is free; a price makes the cost counter move.
  const models = (config['model_list'] as Array<{ model_name: string; litellm_params: Record<string, unknown> }>).map((entry) => ({
    ...entry,
    litellm_params: { ...entry.litellm_params, input_cost_per_character: 0.00001 },
  }));
  running = await startGateway({
    clock: movableClock(),
    config: { ...config, model_list: models },
    queueDepth: { depths: async () => ({ speech: { waiting: depth, active: 1 } }) },
  });
});
afterAll(async () => {
  await running.close();
});

let lastText = '';

async function scrape(): Promise<MetricFamily[]> {
  const response = await fetch(`${running.baseUrl}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  lastText = await response.text();
  return parsePrometheusTextFormat(lastText);
}

/**
 * A labelled histogram's `_count` series, read from the text: the parser merges labelled
 * histograms into one sample, so their labels cannot be filtered on there.
 */
function histogramCount(text: string, name: string, labels: Record<string, string>): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}_count{`) && Object.entries(labels).every(([label, wanted]) => line.includes(`${label}="${wanted}"`)))
    .reduce((total, line) => total + Number(line.split(' ').at(-1)), 0);
}

function value(families: readonly MetricFamily[], name: string, labels: Record<string, string> = {}): number {
  const family = families.find((candidate) => candidate.name === name);
  if (family === undefined) return 0;
  return family.metrics
    .filter((sample) => Object.entries(labels).every(([label, wanted]) => sample.labels?.[label] === wanted))
    .reduce((total, sample) => total + Number(sample.value ?? sample.count ?? 0), 0);
}

async function speak(input: string, model = 'tts-1'): Promise<number> {
  const response = await fetch(`${running.baseUrl}/v1/audio/speech`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, input, voice: 'alloy', response_format: 'pcm' }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('GET /metrics', () => {
  it('parses as Prometheus text, and request, character and cost counters move with requests', async () => {
    const before = await scrape();
    const textBefore = lastText;
    const deploymentOf = (families: readonly MetricFamily[]) =>
      families.find((family) => family.name === 'tts_requests_total')?.metrics.find((sample) => sample.labels?.['model_group'] === 'tts-1')?.labels?.[
        'deployment'
      ];
    expect(await speak('Count me.')).toBe(200);
    expect(await speak('And me too.')).toBe(200);
    expect(await speak('Nope', 'no-such-model')).toBe(404);
    const after = await scrape();
    const labels = { model_group: 'tts-1', status: 'success', source: 'sync' };
    expect(value(after, 'tts_requests_total', labels) - value(before, 'tts_requests_total', labels)).toBe(2);
    expect(deploymentOf(after)).toBe(running.gateway.catalog.group('tts-1')?.[0]?.id);
    expect(value(after, 'tts_characters_total', { model_group: 'tts-1' }) - value(before, 'tts_characters_total', { model_group: 'tts-1' })).toBe(
      'Count me.'.length + 'And me too.'.length,
    );
    expect(value(after, 'tts_cost_usd_total', { model_group: 'tts-1' }) - value(before, 'tts_cost_usd_total', { model_group: 'tts-1' })).toBeCloseTo(
      20 * 0.00001,
      12,
    );
    expect(
      histogramCount(lastText, 'tts_request_duration_seconds', { model_group: 'tts-1', status: 'success' }) -
        histogramCount(textBefore, 'tts_request_duration_seconds', { model_group: 'tts-1', status: 'success' }),
    ).toBe(2);
    expect(value(after, 'tts_requests_total', { model_group: 'no-such-model', status: 'error' })).toBe(1);
    expect(after.find((family) => family.name === 'tts_request_duration_seconds')?.type).toBe('HISTOGRAM');
  });

  it('counts router, job and webhook events from the event bus', async () => {
    const before = await scrape();
    const { events } = running.gateway;
    events.emit({ type: 'attempt', modelName: 'tts-1', deploymentId: 'd1', provider: 'openai', outcome: 'rate_limited', durationMs: 12 });
    events.emit({ type: 'attempt', modelName: 'tts-1', deploymentId: 'd1', provider: 'openai', outcome: 'success', durationMs: 30 });
    events.emit({ type: 'retry', modelName: 'tts-1', deploymentId: 'd1', reason: 'rate_limited' });
    events.emit({ type: 'fallback', fromModel: 'tts-1', toModel: 'tts-1-hd' });
    events.emit({ type: 'cooldown', modelName: 'tts-1', deploymentId: 'd1', seconds: 5, reason: 'rate_limited' });
    events.emit({ type: 'job_created', items: 4 });
    events.emit({ type: 'item_finished', status: 'completed', modelName: 'tts-1' });
    events.emit({ type: 'item_finished', status: 'failed', modelName: 'tts-1' });
    events.emit({ type: 'job_finished', status: 'completed', items: 4 });
    events.emit({ type: 'webhook_delivery', outcome: 'retrying', status: 503 });
    events.emit({ type: 'webhook_delivery', outcome: 'delivered', status: 200 });
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}): number => value(after, name, labels) - value(before, name, labels);
    expect(delta('tts_provider_attempts_total', { deployment: 'd1' })).toBe(2);
    expect(delta('tts_provider_errors_total', { deployment: 'd1', kind: 'rate_limited' })).toBe(1);
    expect(delta('tts_retries_total', { model_group: 'tts-1' })).toBe(1);
    expect(delta('tts_fallbacks_total', { from_model: 'tts-1', to_model: 'tts-1-hd' })).toBe(1);
    expect(delta('tts_cooldowns_total', { deployment: 'd1' })).toBe(1);
    expect(delta('tts_jobs_created_total')).toBe(1);
    expect(delta('tts_job_items_created_total')).toBe(4);
    expect(delta('tts_job_items_finished_total', { status: 'failed' })).toBe(1);
    expect(delta('tts_jobs_finished_total', { status: 'completed' })).toBe(1);
    expect(delta('tts_webhook_deliveries_total', { outcome: 'delivered' })).toBe(1);
    expect(delta('tts_webhook_deliveries_total', { outcome: 'retrying' })).toBe(1);
  });

  it('reads queue depth from the jobs side at scrape time', async () => {
    expect(value(await scrape(), 'tts_queue_depth', { queue: 'speech', state: 'waiting' })).toBe(3);
    depth = 7;
    expect(value(await scrape(), 'tts_queue_depth', { queue: 'speech', state: 'waiting' })).toBe(7);
  });

  it('keeps its own registry: a second gateway starts from zero', async () => {
    const other = await startGateway({ clock: movableClock(), config: DEFAULT_CONFIG_DOCUMENT });
    try {
      const text = await (await fetch(`${other.baseUrl}/metrics`)).text();
      expect(value(parsePrometheusTextFormat(text), 'tts_requests_total')).toBe(0);
    } finally {
      await other.close();
    }
  });
});
