import { Readable } from 'node:stream';
import type { ResponseFormat } from '../audio/formats.js';
import type { Synthesis } from '../core/synthesize.js';
import { describeWarning } from '../providers/spec/warnings.js';
import type { AttemptRecord } from '../router/attempts.js';
import { writeFileAtomically } from './atomic-file.js';
import { toLibraryError } from './errors.js';

/** The deployment that served a call. */
export interface SpeechDeployment {
  /** `model_info.id`, else a stable hash of the deployment's config. */
  readonly id: string;
  /** The model group (`model_name`) it belongs to: the one asked for, or a fallback. */
  readonly modelName: string;
  readonly provider: string;
  /** The provider-side model (`tts-1` in `openai/tts-1`); empty when a remote server did not say. */
  readonly model: string;
}

export interface SpeechResponseFields {
  readonly format: ResponseFormat;
  readonly contentType: string;
  readonly deployment: SpeechDeployment;
  readonly attempts: readonly AttemptRecord[];
  readonly warnings: readonly string[];
  readonly characters: number;
  readonly costUsd: number;
}

/**
 * Audio that is still arriving, with what is already known about it. The first audio byte
 * exists when this object does, so a failure before it was already thrown by `speech()`.
 * Consume it once: iterate it, pipe `toReadable()`, `streamToFile(path)` or `arrayBuffer()`.
 */
export class SpeechResponse implements AsyncIterable<Uint8Array> {
  readonly format: ResponseFormat;
  /** `audio/mpeg` for mp3, and so on; pcm is raw 24 kHz 16-bit little-endian mono. */
  readonly contentType: string;
  readonly deployment: SpeechDeployment;
  /** Every try, in order, across retries and fallbacks. */
  readonly attempts: readonly AttemptRecord[];
  /** Settings the provider could not honour exactly (a clamped speed, unsupported instructions). */
  readonly warnings: readonly string[];
  /** Characters billed (after guardrails). */
  readonly characters: number;
  /** What the call cost, in US dollars. */
  readonly cost: number;
  #audio: AsyncIterable<Uint8Array> | undefined;
  readonly #controller: AbortController;

  /** @internal Made by `speech()` and the clients; not meant to be constructed by users. */
  constructor(fields: SpeechResponseFields, audio: AsyncIterable<Uint8Array>, controller: AbortController) {
    this.format = fields.format;
    this.contentType = fields.contentType;
    this.deployment = fields.deployment;
    this.attempts = fields.attempts;
    this.warnings = fields.warnings;
    this.characters = fields.characters;
    this.cost = fields.costUsd;
    this.#audio = audio;
    this.#controller = controller;
  }

  /** The audio chunks as they arrive. */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return this.#chunks();
  }

  async *#chunks(): AsyncGenerator<Uint8Array> {
    const audio = this.#audio;
    if (audio === undefined) throw new Error('this speech response was already consumed');
    this.#audio = undefined;
    const signal = this.#controller.signal;
    let ended = false;
    try {
      for await (const chunk of audio) yield chunk;
      ended = true;
    } catch (error) {
      throw toLibraryError(error, signal);
    } finally {
      // Stopping early stops the work behind it: the upstream call and any child process.
      if (!ended && !signal.aborted) this.#controller.abort(new DOMException('the audio was not read to its end', 'AbortError'));
    }
  }

  /** A Node stream of the audio, for `pipe()` and `stream.pipeline()`. */
  toReadable(): Readable {
    return Readable.from(this, { objectMode: false });
  }

  /** The whole audio in memory. */
  async arrayBuffer(): Promise<ArrayBuffer> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of this) chunks.push(chunk);
    const joined = Buffer.concat(chunks);
    return joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength) as ArrayBuffer;
  }

  /**
   * Writes the audio to `path`, atomically: the file appears, whole, only once the audio has
   * ended; on a failure or an abort there is no file at all.
   */
  streamToFile(path: string): Promise<{ readonly path: string; readonly bytes: number }> {
    return writeFileAtomically(path, this);
  }

  /** Stops the audio: the upstream call is aborted and any child process ends. */
  cancel(reason?: unknown): void {
    this.#controller.abort(reason ?? new DOMException('the speech response was cancelled', 'AbortError'));
  }
}

/** The response for an in-process synthesis. */
export function responseOfSynthesis(synthesis: Synthesis, controller: AbortController): SpeechResponse {
  return new SpeechResponse(
    {
      format: synthesis.format,
      contentType: synthesis.contentType,
      deployment: {
        id: synthesis.deployment.id,
        modelName: synthesis.deployment.modelName,
        provider: synthesis.deployment.provider,
        model: synthesis.deployment.model,
      },
      attempts: synthesis.attempts,
      warnings: synthesis.warnings.map(describeWarning),
      characters: synthesis.characters,
      costUsd: synthesis.costUsd,
    },
    synthesis.audio,
    controller,
  );
}
