import { Readable } from 'node:stream';
import { networkFailure } from './http-call.js';

/**
 * Reads audio out of a body that wraps it (event streams, hex, JSON), chunk by chunk, with no
 * stream or generator of its own. Throws a `ProviderError` for a failure the body reports.
 */
export interface BodyDecoder {
  /** Decodes one body chunk, handing its audio to `emit`; true once the answer is complete (the rest is ignored). */
  write(chunk: Buffer, emit: (audio: Buffer) => void): boolean;
  /** The body ended before `write` said it was complete: the last audio, or a throw when the answer was cut short. */
  end(emit: (audio: Buffer) => void): void;
}

/**
 * An upstream body handed on as audio: its Buffer chunks (decoded, when the body wraps the
 * audio) with the body's own backpressure (the source pauses while this stream is full). A
 * body that breaks off (connection lost, deadline) fails as a `ProviderError`, so callers see
 * one error type; destroying this stream (the client left) destroys the body, which ends the call.
 */
export class UpstreamAudio extends Readable {
  readonly #source: Readable;
  readonly #decoder: BodyDecoder | undefined;
  /** The answer is complete; whatever else the body sends is drained unread. */
  #complete = false;
  #chunks = 0;
  #waiting: { readonly resolve: () => void; readonly reject: (error: Error) => void; readonly empty: () => Error } | undefined;
  readonly #emit = (audio: Buffer): void => {
    if (audio.length === 0) return;
    this.#chunks += 1;
    if (!this.push(audio)) this.#source.pause();
    this.#settleFirst(undefined);
  };

  constructor(source: Readable, provider: string, signal: AbortSignal, decoder?: BodyDecoder) {
    super();
    this.#source = source;
    this.#decoder = decoder;
    // The failure reaches whoever reads the stream (its iterator, a pipeline, `firstAudio`), all
    // of which read `errored`; without a listener here, one before the first read would be uncaught.
    this.on('error', () => undefined);
    source.on('data', (chunk: Buffer) => {
      if (this.#complete) return;
      if (decoder === undefined) return this.#emit(chunk);
      try {
        if (decoder.write(chunk, this.#emit)) this.#end();
      } catch (error) {
        this.#fail(error);
      }
    });
    source.once('end', () => {
      if (this.#complete) return;
      try {
        this.#decoder?.end(this.#emit);
        this.#end();
      } catch (error) {
        this.#fail(error);
      }
    });
    source.once('error', (error) => this.#fail(networkFailure(provider, error, signal)));
  }

  /**
   * Resolves once the first audio chunk exists, so a failure the upstream reports in its first
   * event is still a rejection before anything reaches the client; rejects with the stream's
   * error, or with `empty()` when the answer ends without audio.
   */
  firstAudio(empty: () => Error): Promise<void> {
    if (this.#chunks > 0) return Promise.resolve();
    if (this.errored !== null) return Promise.reject(this.errored);
    if (this.#complete) return Promise.reject(empty());
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject, empty };
    });
  }

  override _read(): void {
    this.#source.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#source.destroy();
    this.#settleFirst(error ?? new Error('the audio stream was closed before its first chunk'));
    callback(error);
  }

  #end(): void {
    this.#complete = true;
    this.push(null);
    // Drain what follows the answer, so the connection can go back to the pool.
    this.#source.resume();
    if (this.#waiting !== undefined) this.#settleFirst(this.#waiting.empty());
  }

  #settleFirst(error: Error | undefined): void {
    const waiting = this.#waiting;
    if (waiting === undefined) return;
    this.#waiting = undefined;
    if (error === undefined) waiting.resolve();
    else waiting.reject(error);
  }

  #fail(error: unknown): void {
    this.#complete = true;
    this.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

/** A stream of `bytes` as one chunk (none when empty): audio that arrived whole, in a JSON answer. */
export function wholeAudio(bytes: Uint8Array): Readable {
  return Readable.from(bytes.length === 0 ? [] : [bytes], { objectMode: false });
}
