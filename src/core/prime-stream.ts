/**
 * Waits for the first chunk of a stream and returns a stream that replays it. Until the
 * first byte exists nothing has been sent to the client, so failures up to here can still
 * become a proper error status, a retry, or a fallback.
 */
export async function primeStream(source: AsyncIterable<Uint8Array>): Promise<AsyncGenerator<Uint8Array>> {
  const iterator = source[Symbol.asyncIterator]();
  let first = await iterator.next();
  while (!first.done && first.value.length === 0) first = await iterator.next();
  if (first.done) throw new EmptyAudioError();
  const head = first.value;
  async function* replay(): AsyncGenerator<Uint8Array> {
    try {
      yield head;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await iterator.return?.();
    }
  }
  return replay();
}

export class EmptyAudioError extends Error {
  override readonly name = 'EmptyAudioError';
  constructor() {
    super('the provider returned no audio');
  }
}
