/**
 * Passes `source` through to its consumer while `sink` reads the same chunks. The two move
 * together: when the sink falls `highWaterBytes` behind, the consumer waits (backpressure),
 * so neither side buffers a whole clip. A failing sink is dropped and the consumer carries
 * on. `onEnd` is awaited before the consumer sees the end: `complete` says whether the source
 * ended normally and the sink took every byte.
 */
export async function* teeTo(
  source: AsyncIterable<Uint8Array>,
  sink: (chunks: AsyncIterable<Uint8Array>) => Promise<void>,
  onEnd: (complete: boolean) => Promise<void>,
  highWaterBytes = 256 * 1024,
): AsyncGenerator<Uint8Array> {
  const channel = createChannel(highWaterBytes);
  let sinkFailed = false;
  const sinking = sink(channel.reader()).then(
    () => true,
    () => {
      sinkFailed = true;
      channel.drop();
      return false;
    },
  );
  let completed = false;
  try {
    for await (const chunk of source) {
      if (!sinkFailed) await channel.push(chunk);
      yield chunk;
    }
    completed = true;
    channel.end();
  } finally {
    if (!completed) channel.fail(new Error('audio stream ended early'));
    const sunk = await sinking;
    await onEnd(completed && sunk);
  }
}

interface Channel {
  push(chunk: Uint8Array): Promise<void>;
  end(): void;
  fail(error: Error): void;
  /** The reader is gone: pushes return at once from now on. */
  drop(): void;
  reader(): AsyncGenerator<Uint8Array>;
}

function createChannel(highWaterBytes: number): Channel {
  const queue: Uint8Array[] = [];
  let queuedBytes = 0;
  let ended = false;
  let dropped = false;
  let failure: Error | undefined;
  let wakeReader: (() => void) | undefined;
  let wakeWriter: (() => void) | undefined;
  const notifyReader = (): void => {
    wakeReader?.();
    wakeReader = undefined;
  };
  const notifyWriter = (): void => {
    wakeWriter?.();
    wakeWriter = undefined;
  };
  return {
    async push(chunk) {
      if (dropped) return;
      queue.push(chunk);
      queuedBytes += chunk.length;
      notifyReader();
      while (queuedBytes > highWaterBytes && !dropped) await new Promise<void>((resolve) => (wakeWriter = resolve));
    },
    end() {
      ended = true;
      notifyReader();
    },
    fail(error) {
      failure ??= error;
      notifyReader();
    },
    drop() {
      dropped = true;
      queue.length = 0;
      queuedBytes = 0;
      notifyWriter();
    },
    async *reader() {
      for (;;) {
        if (failure !== undefined) throw failure;
        const chunk = queue.shift();
        if (chunk !== undefined) {
          queuedBytes -= chunk.length;
          notifyWriter();
          yield chunk;
          continue;
        }
        if (ended) return;
        await new Promise<void>((resolve) => (wakeReader = resolve));
      }
    },
  };
}
