import type { LitellmParams, RouterSettings } from '../../../src/config/schema.js';
import { routerSettingsSchema } from '../../../src/config/schema.js';
import type { Deployment, ModelCatalog } from '../../../src/domain/catalog.js';
import type { GatewayEvent } from '../../../src/domain/events.js';
import { ProviderError, type ProviderErrorKind } from '../../../src/providers/spec/errors.js';
import type { ProviderId } from '../../../src/providers/spec/types.js';
import { createRouter, type Router } from '../../../src/router/router.js';
import { createLocalRouterState } from '../../../src/router/state/local-router-state.js';
import type { RouterState } from '../../../src/router/state/router-state.js';

/** A deployment whose adapter is never called: unit tests pass their own attempt function. */
export function deployment(
  id: string,
  options: {
    modelName?: string;
    provider?: ProviderId;
    model?: string;
    params?: Partial<LitellmParams>;
    voices?: (voice: string) => boolean;
    maxInputCharacters?: number;
  } = {},
): Deployment {
  const provider = options.provider ?? 'openai';
  const model = options.model ?? 'tts-1';
  return {
    id,
    modelName: options.modelName ?? 'tts',
    provider,
    model,
    params: { model: `${provider}/${model}`, ...options.params },
    adapter: {
      id: provider,
      capabilities: () => ({ maxInputCharacters: 4096, speed: undefined, instructions: false, streaming: true }),
      synthesize: () => Promise.reject(new Error('unit tests call attempts directly')),
      ...(options.voices === undefined ? {} : { recognizesVoice: options.voices }),
    },
    maxInputCharacters: options.maxInputCharacters ?? 4096,
  };
}

export function catalogOf(deployments: readonly Deployment[], aliases: Readonly<Record<string, string>> = {}): ModelCatalog {
  const groups = new Map<string, Deployment[]>();
  for (const item of deployments) groups.set(item.modelName, [...(groups.get(item.modelName) ?? []), item]);
  const resolve = (name: string): string => aliases[name] ?? name;
  return {
    modelNames: [...groups.keys()],
    aliases: Object.entries(aliases).map(([name, group]) => ({ name, group, hidden: false })),
    group: (name) => groups.get(resolve(name)),
    resolve,
    deployment: (id) => deployments.find((item) => item.id === id),
  };
}

export function settingsOf(values: Record<string, unknown> = {}): RouterSettings {
  return routerSettingsSchema.parse(values);
}

/** A small seeded generator (mulberry32), so distributions are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

export function providerError(kind: ProviderErrorKind, extra: { retryAfterMs?: number; status?: number } = {}): ProviderError {
  return new ProviderError({ kind, provider: 'openai', message: `injected ${kind}`, ...extra });
}

/** A router on a controllable clock; `sleep` moves the clock instead of waiting. */
export interface RouterHarness {
  readonly router: Router;
  readonly state: RouterState;
  readonly events: GatewayEvent[];
  readonly sleeps: number[];
  readonly clock: { now: number };
}

export function harness(
  deployments: readonly Deployment[],
  settings: Record<string, unknown> = {},
  options: { random?: () => number; state?: RouterState; aliases?: Record<string, string> } = {},
): RouterHarness {
  const events: GatewayEvent[] = [];
  const sleeps: number[] = [];
  const state = options.state ?? createLocalRouterState();
  const clock = { now: 1_700_000_000_000 };
  const router = createRouter({
    catalog: catalogOf(deployments, options.aliases),
    settings: settingsOf(settings),
    random: options.random ?? seededRandom(7),
    now: () => clock.now,
    state,
    events: { emit: (event) => events.push(event) },
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
  });
  return { router, state, events, sleeps, clock };
}

/** An attempt that answers per deployment id from a script of outcomes (an error to throw, or success). */
export function scripted(script: Record<string, Array<Error | 'ok'>>): { attempt: (item: Deployment) => Promise<string>; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    attempt: async (item) => {
      calls.push(item.id);
      const next = script[item.id]?.shift() ?? 'ok';
      if (next !== 'ok') throw next;
      return `audio from ${item.id}`;
    },
  };
}

export const signal = (): AbortSignal => new AbortController().signal;
