import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { createLocalRouterState } from '../../../../src/router/state/local-router-state.js';
import { createResilientRouterState } from '../../../../src/router/state/resilient-router-state.js';
import type { RouterState } from '../../../../src/router/state/router-state.js';

const NOW = 1_700_000_000_000;

/** A shared state standing for Redis that never answers while `away`, counting the calls that reach it. */
function unreachableShared(): { state: RouterState; calls: () => number; setAway(away: boolean): void } {
  const inner = createLocalRouterState();
  let away = true;
  let calls = 0;
  return {
    calls: () => calls,
    setAway: (value) => {
      away = value;
    },
    state: {
      ...inner,
      usage: (ids, now) => {
        calls += 1;
        return away ? new Promise(() => undefined) : inner.usage(ids, now);
      },
    },
  };
}

it('skips Redis while it is away: one call per interval tries it, the rest answer locally at once', async () => {
  const shared = unreachableShared();
  const statuses: string[] = [];
  const state = createResilientRouterState({
    shared: shared.state,
    local: createLocalRouterState(),
    timeoutMs: 30,
    retryIntervalMs: 60,
    onStatusChange: (status) => statuses.push(status),
  });
  // The first call finds Redis away and opens the breaker.
  await state.usage(['a'], NOW);
  expect(shared.calls()).toBe(1);
  // Within the interval, nothing reaches Redis.
  await Promise.all(Array.from({ length: 20 }, () => state.usage(['a'], NOW)));
  expect(shared.calls()).toBe(1);

  await sleep(80);
  // After it, of twenty concurrent calls one probes Redis; the others do not wait for it.
  await Promise.all(Array.from({ length: 20 }, () => state.usage(['a'], NOW)));
  expect(shared.calls()).toBe(2);
  expect(statuses).toEqual(['degraded']);

  // Redis is back: the next probe closes the breaker and every call goes to Redis again.
  shared.setAway(false);
  await sleep(80);
  await state.usage(['a'], NOW);
  await Promise.all(Array.from({ length: 5 }, () => state.usage(['a'], NOW)));
  expect(shared.calls()).toBe(8);
  expect(statuses).toEqual(['degraded', 'recovered']);
});
