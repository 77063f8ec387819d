import type { RouterSettings } from '../config/schema.js';
import type { Deployment } from '../domain/catalog.js';
import { pricePerCharacter } from '../domain/cost.js';
import type { RouterState } from './state/router-state.js';

interface RankContext {
  readonly state: RouterState;
  readonly now: number;
  readonly random: () => number;
}

/** Orders the deployments that may take a call, best first. */
export interface RoutingStrategy {
  rank(candidates: readonly Deployment[], context: RankContext): Promise<Deployment[]>;
  /** Calls are counted in flight (least-busy reads them). */
  readonly tracksInFlight: boolean;
  /** First-byte latencies are recorded (latency-based routing reads them). */
  readonly tracksLatency: boolean;
  /** Each call reserves rpm/tpm room before it starts, and deployments without room are skipped. */
  readonly enforcesUsage: boolean;
}

/** LiteLLM's default `ttl` for latency samples: one hour. */
const DEFAULT_LATENCY_TTL_SECONDS = 3600;

export function latencyTtlMs(settings: RouterSettings): number {
  return (settings.routing_strategy_args?.ttl ?? DEFAULT_LATENCY_TTL_SECONDS) * 1000;
}

export function createStrategy(settings: RouterSettings): RoutingStrategy {
  switch (settings.routing_strategy) {
    case 'simple-shuffle':
      return {
        rank: async (candidates, context) => weightedShuffle(candidates, context.random),
        tracksInFlight: false,
        tracksLatency: false,
        enforcesUsage: false,
      };
    case 'least-busy':
      return {
        async rank(candidates, context) {
          const counts = await context.state.inFlight(
            candidates.map((deployment) => deployment.id),
            context.now,
          );
          return sortWithRandomTies(candidates, (deployment) => counts.get(deployment.id) ?? 0, context.random);
        },
        tracksInFlight: true,
        tracksLatency: false,
        enforcesUsage: false,
      };
    case 'latency-based-routing':
      return {
        async rank(candidates, context) {
          const means = await context.state.latencies(
            candidates.map((deployment) => deployment.id),
            context.now,
            latencyTtlMs(settings),
          );
          return rankByLatency(candidates, means, settings.routing_strategy_args?.lowest_latency_buffer ?? 0, context.random);
        },
        tracksInFlight: false,
        tracksLatency: true,
        enforcesUsage: false,
      };
    case 'usage-based-routing':
    case 'usage-based-routing-v2':
      return {
        async rank(candidates, context) {
          const usage = await context.state.usage(
            candidates.map((deployment) => deployment.id),
            context.now,
          );
          return sortWithRandomTies(candidates, (deployment) => usageShare(deployment, usage.get(deployment.id)), context.random);
        },
        tracksInFlight: false,
        tracksLatency: false,
        enforcesUsage: true,
      };
    case 'cost-based-routing':
      return {
        rank: async (candidates, context) => sortWithRandomTies(candidates, pricePerCharacter, context.random),
        tracksInFlight: false,
        tracksLatency: false,
        enforcesUsage: false,
      };
  }
}

/** LiteLLM's simple-shuffle weights: `weight`, else `rpm`, else `tpm`, else equal. */
function weightOf(deployment: Deployment): number {
  return deployment.params.weight ?? deployment.params.rpm ?? deployment.params.tpm ?? 1;
}

/** A weighted random order: the first pick follows the weights, and so does each next among the rest. */
export function weightedShuffle(deployments: readonly Deployment[], random: () => number): Deployment[] {
  const pool = [...deployments];
  const order: Deployment[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((sum, deployment) => sum + weightOf(deployment), 0);
    let pick = random() * total;
    let index = pool.findIndex((deployment) => (pick -= weightOf(deployment)) < 0);
    if (index === -1) index = pool.length - 1;
    order.push(...pool.splice(index, 1));
  }
  return order;
}

/**
 * Lowest mean latency first; deployments within `buffer` (a fraction) of the lowest share the
 * load at random, as LiteLLM's `lowest_latency_buffer` does. A deployment with no recent
 * sample counts as fastest, so a new or recovered deployment gets measured.
 */
export function rankByLatency(candidates: readonly Deployment[], means: ReadonlyMap<string, number>, buffer: number, random: () => number): Deployment[] {
  const latencyOf = (deployment: Deployment): number => means.get(deployment.id) ?? 0;
  const sorted = sortWithRandomTies(candidates, latencyOf, random);
  const lowest = sorted[0] === undefined ? 0 : latencyOf(sorted[0]);
  const near = sorted.filter((deployment) => latencyOf(deployment) <= lowest * (1 + buffer));
  const rest = sorted.filter((deployment) => latencyOf(deployment) > lowest * (1 + buffer));
  return [...shuffle(near, random), ...rest];
}

/** The busiest share of a deployment's minute budget (tpm by characters, else rpm); raw characters without limits. */
function usageShare(deployment: Deployment, usage: { requests: number; characters: number } | undefined): number {
  const used = usage ?? { requests: 0, characters: 0 };
  const { rpm, tpm } = deployment.params;
  if (rpm === undefined && tpm === undefined) return used.characters;
  return Math.max(rpm === undefined ? 0 : used.requests / rpm, tpm === undefined ? 0 : used.characters / tpm);
}

function sortWithRandomTies(candidates: readonly Deployment[], score: (deployment: Deployment) => number, random: () => number): Deployment[] {
  return shuffle(candidates, random).sort((left, right) => score(left) - score(right));
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}
