/**
 * A signal for one attempt: it follows the caller's signal, and aborts with a `TimeoutError`
 * if the attempt has produced no audio within `seconds`. Once audio flows the timer is
 * cleared: a long clip may stream for minutes, and only the client's disconnect stops it then.
 */
export interface AttemptDeadline {
  readonly signal: AbortSignal;
  /** Audio arrived: stop the timer, keep following the caller. */
  audioStarted(): void;
  /** The attempt failed: stop the timer and stop following the caller. */
  dispose(): void;
}

export function attemptDeadline(parent: AbortSignal, seconds: number | undefined): AttemptDeadline {
  const controller = new AbortController();
  const forward = (): void => controller.abort(parent.reason);
  if (parent.aborted) forward();
  else parent.addEventListener('abort', forward, { once: true });
  const timer =
    seconds === undefined ? undefined : setTimeout(() => controller.abort(new DOMException(`no audio within ${seconds} s`, 'TimeoutError')), seconds * 1000);
  return {
    signal: controller.signal,
    audioStarted: () => {
      if (timer !== undefined) clearTimeout(timer);
    },
    dispose: () => {
      if (timer !== undefined) clearTimeout(timer);
      parent.removeEventListener('abort', forward);
    },
  };
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
