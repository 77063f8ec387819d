import { describe, expect, it } from 'vitest';
import { withCachedCooldowns } from '../../../../src/router/state/cached-cooldowns.js';
import { createLocalRouterState } from '../../../../src/router/state/local-router-state.js';
import type { RouterState } from '../../../../src/router/state/router-state.js';

const NOW = 1_700_000_000_000;

/** Local state standing for Redis, counting the cooldown reads that reach it. */
function sharedState(): { state: RouterState; reads: string[][] } {
  const inner = createLocalRouterState();
  const reads: string[][] = [];
  return {
    reads,
    state: {
      ...inner,
      cooldowns: (ids, now) => {
        reads.push([...ids]);
        return inner.cooldowns(ids, now);
      },
    },
  };
}

function setup(ttlMs = 250) {
  const shared = sharedState();
  const clock = { monotonic: 0 };
  const cached = withCachedCooldowns(shared.state, { ttlMs, monotonicNow: () => clock.monotonic });
  return { shared, clock, cached };
}

describe('cooldown reads cached for a short while', () => {
  it('asks the shared state once per ttl, and again once it has passed', async () => {
    const { shared, clock, cached } = setup();
    expect((await cached.cooldowns(['a', 'b'], NOW)).size).toBe(0);
    clock.monotonic += 100;
    expect((await cached.cooldowns(['a', 'b'], NOW)).size).toBe(0);
    expect(shared.reads).toEqual([['a', 'b']]);
    clock.monotonic += 200;
    await cached.cooldowns(['a', 'b'], NOW);
    expect(shared.reads).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });

  it('sees a cooldown set by another process no later than the ttl', async () => {
    const { shared, clock, cached } = setup();
    await cached.cooldowns(['a', 'b'], NOW);
    // Another process cools `a` down in the shared state.
    await shared.state.coolDown('a', { untilMs: NOW + 60_000, reason: 'rate_limited' }, NOW);
    expect((await cached.cooldowns(['a', 'b'], NOW)).has('a')).toBe(false);
    clock.monotonic += 250;
    expect([...(await cached.cooldowns(['a', 'b'], NOW)).keys()]).toEqual(['a']);
  });

  it('sees its own cooldown at once, without a read, and lets it end on the caller clock', async () => {
    const { shared, cached } = setup();
    await cached.cooldowns(['a', 'b'], NOW);
    await cached.coolDown('a', { untilMs: NOW + 5000, reason: 'failures' }, NOW);
    expect(await cached.cooldowns(['a', 'b'], NOW)).toEqual(new Map([['a', { untilMs: NOW + 5000, reason: 'failures' }]]));
    expect((await cached.cooldowns(['a', 'b'], NOW + 5000)).size).toBe(0);
    expect(shared.reads).toHaveLength(1);
    // Written through: other processes see it in the shared state.
    expect((await shared.state.cooldowns(['a'], NOW)).get('a')?.reason).toBe('failures');
  });

  it('keeps the later of two cooldowns, as the shared state does', async () => {
    const { cached } = setup();
    await cached.coolDown('a', { untilMs: NOW + 20_000, reason: 'rate_limited' }, NOW);
    await cached.coolDown('a', { untilMs: NOW + 5000, reason: 'failures' }, NOW);
    expect((await cached.cooldowns(['a'], NOW)).get('a')).toEqual({ untilMs: NOW + 20_000, reason: 'rate_limited' });
  });

  it('shares one read among concurrent calls, and reads only the deployments it has no fresh answer for', async () => {
    const { shared, clock, cached } = setup();
    await Promise.all(Array.from({ length: 16 }, () => cached.cooldowns(['a', 'b'], NOW)));
    expect(shared.reads).toEqual([['a', 'b']]);
    clock.monotonic += 100;
    await cached.cooldowns(['a', 'b', 'c'], NOW);
    expect(shared.reads).toEqual([['a', 'b'], ['c']]);
  });

  it('with a ttl of 0 reads every time', async () => {
    const { shared, cached } = setup(0);
    await cached.cooldowns(['a'], NOW);
    await cached.cooldowns(['a'], NOW);
    expect(shared.reads).toHaveLength(2);
  });
});
