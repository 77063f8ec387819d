import type { Logger } from 'pino';
import type { GenericApiCallbackSettings } from '../../config/sections/governance.js';
import type { SpendRowSink } from '../spend/spend-recorder.js';
import type { SpendRow } from '../spend/spend-row.js';

export interface HttpCallback extends SpendRowSink {
  /** Sends everything buffered now (tests, shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface HttpCallbackDependencies {
  readonly fetch: typeof globalThis.fetch;
  readonly logger: Logger;
  readonly sleep?: (ms: number) => Promise<void>;
}

const RETRY_BASE_MS = 250;

/**
 * LiteLLM's `generic_api` logging callback for spend rows: rows are buffered and POSTed as a
 * JSON array in batches, each batch retried with backoff. The buffer is bounded (the oldest
 * rows go first) so an endpoint that is down costs memory up to `max_buffer` and never holds
 * a request: `accept` only pushes to an array.
 */
export function createHttpCallback(name: string, endpoint: string, settings: GenericApiCallbackSettings, dependencies: HttpCallbackDependencies): HttpCallback {
  const sleep = dependencies.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()));
  const buffer: SpendRow[] = [];
  const wanted = new Set(settings.event_types);
  let dropped = 0;
  let running: Promise<void> | undefined;
  const timer = setInterval(() => void flush(), settings.flush_interval_seconds * 1000);
  timer.unref();

  async function send(batch: readonly SpendRow[]): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const response = await dependencies.fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...settings.headers },
          body: JSON.stringify(batch),
          signal: AbortSignal.timeout(settings.timeout * 1000),
        });
        await response.body?.cancel();
        if (response.ok) return;
        throw new Error(`status ${response.status}`);
      } catch (error) {
        if (attempt >= settings.max_retries) {
          dependencies.logger.error({ callback: name, rows: batch.length, err: error }, 'logging callback gave up on a batch');
          return;
        }
        await sleep(RETRY_BASE_MS * 2 ** attempt);
      }
    }
  }

  function flush(): Promise<void> {
    running ??= (async () => {
      try {
        while (buffer.length > 0) {
          if (dropped > 0) {
            dependencies.logger.warn({ callback: name, dropped }, 'logging callback buffer was full: oldest rows dropped');
            dropped = 0;
          }
          await send(buffer.splice(0, settings.batch_size));
        }
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  return {
    accept(row) {
      if (!wanted.has(row.status === 'success' ? 'llm_api_success' : 'llm_api_failure')) return;
      buffer.push(row);
      if (buffer.length > settings.max_buffer) {
        buffer.splice(0, buffer.length - settings.max_buffer);
        dropped += 1;
      }
      if (buffer.length >= settings.batch_size) void flush();
    },
    async flush() {
      // A flush already under way may have started before the newest rows arrived.
      await flush();
      if (buffer.length > 0) await flush();
    },
    async close() {
      clearInterval(timer);
      await this.flush();
    },
  };
}
