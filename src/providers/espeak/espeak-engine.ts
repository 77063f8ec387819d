import { fileURLToPath } from 'node:url';
import { streamProcess } from '../../audio/process-stream.js';

interface EspeakSpeakOptions {
  readonly text: string;
  readonly voice: string;
  readonly wordsPerMinute: number;
  readonly signal: AbortSignal;
}

/** A way to run espeak-ng. Both engines yield a WAV stream and take the text on stdin. */
export interface EspeakEngine {
  readonly kind: 'binary' | 'wasm';
  speak(options: EspeakSpeakOptions): AsyncIterable<Uint8Array>;
}

/**
 * Debian's espeak-ng binary: fast (tens of ms a sentence) and streaming. The text goes
 * through stdin, so any length works and nothing in it can become an option.
 */
export function createBinaryEspeakEngine(binaryPath: string): EspeakEngine {
  return {
    kind: 'binary',
    speak: ({ text, voice, wordsPerMinute, signal }) =>
      streamProcess({
        command: binaryPath,
        args: ['--stdin', '--stdout', '-b', '1', '-v', voice, '-s', String(wordsPerMinute)],
        input: text,
        signal,
      }),
  };
}

const WASM_RUNNER = fileURLToPath(new URL('./espeak-wasm-runner.mjs', import.meta.url));

/**
 * The npm WASM build, for machines without the binary. It runs in a child process of its
 * own so an abort can kill it like the binary, and so its crashes stay out of the server.
 */
export function createWasmEspeakEngine(nodePath: string): EspeakEngine {
  return {
    kind: 'wasm',
    speak: ({ text, voice, wordsPerMinute, signal }) =>
      streamProcess({
        command: nodePath,
        args: [WASM_RUNNER, voice, String(wordsPerMinute)],
        input: text,
        signal,
      }),
  };
}
