import { describe, expect, it } from 'vitest';
import { rankByLatency, weightedShuffle } from '../../../src/router/strategies.js';
import { deployment, harness, scripted, seededRandom, signal } from './router-fixtures.js';

function shares(ids: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of ids) counts[id] = (counts[id] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).map(([id, count]) => [id, count / ids.length]));
}

describe('simple-shuffle', () => {
  it('first picks follow the weights within a percent over 5,000 draws', () => {
    const pool = [deployment('a', { params: { weight: 1 } }), deployment('b', { params: { weight: 2 } }), deployment('c', { params: { weight: 7 } })];
    const random = seededRandom(42);
    const picks = Array.from({ length: 5000 }, () => weightedShuffle(pool, random)[0]?.id ?? '');
    const observed = shares(picks);
    expect(observed['a']).toBeCloseTo(0.1, 1);
    expect(Math.abs((observed['a'] ?? 0) - 0.1)).toBeLessThan(0.015);
    expect(Math.abs((observed['b'] ?? 0) - 0.2)).toBeLessThan(0.015);
    expect(Math.abs((observed['c'] ?? 0) - 0.7)).toBeLessThan(0.015);
  });

  it('uses rpm as the weight when no weight is set, as LiteLLM does', () => {
    const pool = [deployment('a', { params: { rpm: 100 } }), deployment('b', { params: { rpm: 300 } })];
    const random = seededRandom(3);
    const observed = shares(Array.from({ length: 4000 }, () => weightedShuffle(pool, random)[0]?.id ?? ''));
    expect(Math.abs((observed['b'] ?? 0) - 0.75)).toBeLessThan(0.02);
  });

  it('routes traffic through the router in the configured shares over 3,000 calls', async () => {
    const h = harness([deployment('a', { params: { weight: 1 } }), deployment('b', { params: { weight: 3 } })], {}, { random: seededRandom(11) });
    const { attempt, calls } = scripted({});
    for (let index = 0; index < 3000; index += 1) await h.router.route({ modelName: 'tts', inputCharacters: 5, signal: signal() }, attempt);
    const observed = shares(calls);
    expect(Math.abs((observed['a'] ?? 0) - 0.25)).toBeLessThan(0.02);
    expect(Math.abs((observed['b'] ?? 0) - 0.75)).toBeLessThan(0.02);
  });
});

describe('latency-based ranking', () => {
  const pool = [deployment('a'), deployment('b'), deployment('c')];

  it('puts the lowest mean latency first, the rest by latency', () => {
    const ranked = rankByLatency(
      pool,
      new Map([
        ['a', 300],
        ['b', 100],
        ['c', 200],
      ]),
      0,
      seededRandom(1),
    );
    expect(ranked.map((item) => item.id)).toEqual(['b', 'c', 'a']);
  });

  it('shares the load among deployments within lowest_latency_buffer of the fastest', () => {
    const random = seededRandom(5);
    const firsts = Array.from(
      { length: 2000 },
      () =>
        rankByLatency(
          pool,
          new Map([
            ['a', 100],
            ['b', 105],
            ['c', 400],
          ]),
          0.1,
          random,
        )[0]?.id ?? '',
    );
    const observed = shares(firsts);
    expect(observed['c']).toBeUndefined();
    expect(Math.abs((observed['a'] ?? 0) - 0.5)).toBeLessThan(0.05);
  });

  it('tries a deployment with no recent sample first, so it gets measured', () => {
    const ranked = rankByLatency(
      pool,
      new Map([
        ['a', 100],
        ['b', 50],
      ]),
      0,
      seededRandom(1),
    );
    expect(ranked[0]?.id).toBe('c');
  });
});
