/** A clock the gateway reads and the test moves. */
export interface TestClock {
  now(): number;
  advance(ms: number): void;
}

/**
 * Real time, shifted to start at `startAt` and moved forward by `advance`. By default it starts at
 * the start of the next minute, so per-minute rate windows are predictable.
 */
export function movableClock(startAt?: number): TestClock {
  const realStart = Date.now();
  const start = startAt ?? (Math.floor(realStart / 60_000) + 1) * 60_000;
  let offset = 0;
  return {
    now: () => start + (Date.now() - realStart) + offset,
    advance: (ms) => {
      offset += ms;
    },
  };
}
