/**
 * Operational events, emitted where things happen (router, jobs, webhooks) and observed by
 * metrics and logs. Emitting never throws and never waits.
 */
export type GatewayEvent =
  | {
      readonly type: 'attempt';
      readonly modelName: string;
      readonly deploymentId: string;
      readonly provider: string;
      readonly outcome: string;
      readonly durationMs: number;
    }
  | { readonly type: 'retry'; readonly modelName: string; readonly deploymentId: string; readonly reason: string }
  | { readonly type: 'fallback'; readonly fromModel: string; readonly toModel: string }
  | { readonly type: 'cooldown'; readonly modelName: string; readonly deploymentId: string; readonly seconds: number; readonly reason: string }
  | { readonly type: 'job_created'; readonly items: number }
  | { readonly type: 'job_finished'; readonly status: 'completed' | 'failed' | 'cancelled'; readonly items: number }
  | { readonly type: 'item_finished'; readonly status: 'completed' | 'failed' | 'cancelled'; readonly modelName: string }
  | { readonly type: 'webhook_delivery'; readonly outcome: 'delivered' | 'retrying' | 'failed' | 'refused'; readonly status?: number }
  | { readonly type: 'cache_lookup'; readonly outcome: 'hit' | 'miss' | 'bypass'; readonly modelName: string; readonly source: 'sync' | 'job' }
  | { readonly type: 'cache_eviction'; readonly reason: 'size' | 'ttl'; readonly entries: number };

export interface EventSink {
  emit(event: GatewayEvent): void;
}

/** Fans events out to every listener; a listener that throws is isolated from the others. */
export function createEventBus(): EventSink & { subscribe(listener: (event: GatewayEvent) => void): () => void } {
  const listeners = new Set<(event: GatewayEvent) => void>();
  return {
    emit(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // An observer's bug must not break the request that emitted the event.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Queue sizes by state, read when metrics are scraped. */
export interface QueueDepthSource {
  depths(): Promise<Readonly<Record<string, Readonly<Record<string, number>>>>>;
}
