import { PassThrough } from 'node:stream';
import { pcmDurationSeconds } from '../audio/concatenate.js';
import type { ResponseFormat } from '../audio/formats.js';
import type { Transcoder } from '../audio/transcode.js';

export interface MeasuredAudio {
  /** The audio, unchanged, to be consumed once (by the store). */
  readonly audio: AsyncIterable<Uint8Array>;
  /** Seconds of audio, once `audio` has been consumed to its end; null if it could not be known. */
  durationSeconds(): Promise<number | null>;
}

/**
 * Measures an item's audio on its way to storage, without holding it. pcm and wav follow from
 * the byte count. A compressed file says its length nowhere reliable (a streamed mp3 or ADTS
 * has no total, an Ogg's last granule and FLAC's STREAMINFO are only right when the encoder
 * could seek back), so its bytes are also fed, as they pass, to a decoder that turns them into
 * OpenAI pcm and counts the samples: the exact length a player decodes, whoever encoded it,
 * at the cost of one decode running beside the upload. The decoder reads at the pace of the
 * upload (a bounded pipe), so nothing accumulates.
 */
export function measureDuration(audio: AsyncIterable<Uint8Array>, format: ResponseFormat, transcoder: Transcoder, signal: AbortSignal): MeasuredAudio {
  if (format === 'pcm' || format === 'wav') return measureByBytes(audio, format);
  return measureByDecoding(audio, format, transcoder, signal);
}

function measureByBytes(audio: AsyncIterable<Uint8Array>, format: 'pcm' | 'wav'): MeasuredAudio {
  let bytes = 0;
  let head: Buffer = Buffer.alloc(0);
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of audio) {
      if (head.length < 512) head = Buffer.concat([head, chunk.subarray(0, 512)]);
      bytes += chunk.length;
      yield chunk;
    }
  }
  return {
    audio: counted(),
    async durationSeconds() {
      if (format === 'pcm') return pcmDurationSeconds(bytes);
      const data = head.indexOf('data');
      return data === -1 ? null : pcmDurationSeconds(bytes - data - 8);
    },
  };
}

function measureByDecoding(audio: AsyncIterable<Uint8Array>, format: ResponseFormat, transcoder: Transcoder, signal: AbortSignal): MeasuredAudio {
  const controller = new AbortController();
  const abort = (): void => controller.abort(signal.reason);
  signal.addEventListener('abort', abort, { once: true });
  const decoderInput = new PassThrough();
  // Its failures surface through the decoder's result; an unheard 'error' event would crash the process.
  decoderInput.on('error', () => undefined);
  const decoded = (async () => {
    let pcmBytes = 0;
    for await (const chunk of transcoder.convert(decoderInput, { format }, 'pcm', controller.signal)) pcmBytes += chunk.length;
    return pcmBytes;
  })();
  // A decoder that fails only loses the duration, never the audio; it is never left unobserved.
  const pcmBytes = decoded.then(
    (bytes): number | null => bytes,
    (): number | null => null,
  );
  let decoderEnded = false;
  void pcmBytes.then(() => (decoderEnded = true));
  let complete = false;
  async function* teed(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of audio) {
        if (!decoderEnded && !decoderInput.write(chunk)) await Promise.race([drained(decoderInput), pcmBytes]);
        yield chunk;
      }
      complete = true;
      decoderInput.end();
    } finally {
      signal.removeEventListener('abort', abort);
      // Abandoned (a failed upload, a cancel): the decoder has nothing more to read.
      if (!complete) {
        controller.abort(new Error('the audio was not stored whole'));
        decoderInput.destroy();
      }
    }
  }
  return {
    audio: teed(),
    async durationSeconds() {
      if (!complete) return null;
      const bytes = await pcmBytes;
      return bytes === null ? null : pcmDurationSeconds(bytes);
    },
  };
}

/** Resolves when the stream wants more, or will never take more; never rejects. */
function drained(stream: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
