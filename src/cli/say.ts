import { extname } from 'node:path';
import { RESPONSE_FORMATS, type ResponseFormat } from '../audio/formats.js';
import { loadConfig } from '../library/config.js';
import { createRouter } from '../library/router.js';
import { createSpeechClient } from '../library/speech-client.js';
import { speech } from '../library/speech.js';
import type { SpeechResponse } from '../library/speech-response.js';
import { CommandFailed, type CliIo, formatCost } from './cli-output.js';
import { readStream, readTextFile } from './read-text.js';

export interface SayOptions {
  readonly output?: string;
  readonly file?: string;
  readonly model: string;
  readonly voice: string;
  readonly format?: string;
  readonly speed?: string;
  readonly instructions?: string;
  readonly config?: string;
  readonly url?: string;
  readonly key?: string;
}

/**
 * `tts-gateway say`: one text to one audio file. In this process by default, on the same
 * router and `synthesize` as the server (over `--config`, or the built-in local-engine
 * config); against a running server with `--url`.
 */
export async function say(text: string | undefined, options: SayOptions, io: CliIo): Promise<void> {
  const input = await inputOf(text, options, io);
  const toStdout = options.output === undefined || options.output === '-';
  if (toStdout && io.stdout.isTTY === true) throw new CommandFailed('say writes audio: give -o FILE (or pipe standard output)');
  const format = formatOf(options);
  const speed = options.speed === undefined ? undefined : Number(options.speed);
  const request = {
    input,
    voice: options.voice,
    responseFormat: format,
    ...(speed === undefined ? {} : { speed }),
    ...(options.instructions === undefined ? {} : { instructions: options.instructions }),
  };
  const response = await synthesizeWith(options, request, io);
  let bytes: number;
  if (toStdout) {
    bytes = 0;
    for await (const chunk of response) {
      bytes += chunk.length;
      if (!io.stdout.write(chunk)) await new Promise((resolve) => io.stdout.once('drain', resolve));
    }
  } else {
    ({ bytes } = await response.streamToFile(options.output as string));
  }
  const where = toStdout ? 'standard output' : options.output;
  io.stderr.write(
    `wrote ${where}: ${bytes} bytes of ${response.format}, ${response.characters} characters, ${formatCost(response.cost)}, ` +
      `deployment ${response.deployment.id} (${response.deployment.provider}) after ${response.attempts.length} attempt(s)\n`,
  );
  for (const warning of response.warnings) io.stderr.write(`warning: ${warning}\n`);
}

async function inputOf(text: string | undefined, options: SayOptions, io: CliIo): Promise<string> {
  if (text !== undefined && options.file !== undefined) throw new CommandFailed('say takes the text or --file, not both');
  if (text !== undefined) return text;
  if (options.file !== undefined) return readTextFile(options.file, io.stdin);
  if (io.stdin.isTTY === true) throw new CommandFailed('say needs a text: an argument, --file PATH, or standard input');
  return readStream(io.stdin);
}

/** `--format`, else the output file's extension, else mp3. */
function formatOf(options: SayOptions): ResponseFormat {
  const named = options.format ?? (options.output === undefined ? undefined : extname(options.output).slice(1).toLowerCase());
  if (options.format !== undefined && !(RESPONSE_FORMATS as readonly string[]).includes(options.format)) {
    throw new CommandFailed(`--format must be one of ${RESPONSE_FORMATS.join(', ')}`);
  }
  return named !== undefined && (RESPONSE_FORMATS as readonly string[]).includes(named) ? (named as ResponseFormat) : 'mp3';
}

async function synthesizeWith(
  options: SayOptions,
  request: { input: string; voice: string; responseFormat: ResponseFormat; speed?: number; instructions?: string },
  io: CliIo,
): Promise<SpeechResponse> {
  if (options.url !== undefined) {
    const key = options.key ?? io.environment['TTS_GATEWAY_API_KEY'] ?? io.environment['MASTER_KEY'];
    return createSpeechClient({ baseUrl: options.url, ...(key === undefined ? {} : { apiKey: key }) }).speech({ model: options.model, ...request });
  }
  const config = await loadConfig(options.config ?? io.environment['CONFIG_FILE_PATH'], io.environment);
  const router = createRouter(config, { environment: io.environment });
  // A LiteLLM model string that is no group of the config is called directly, as `speech()` does.
  if (!router.modelNames.includes(options.model) && options.model.includes('/')) {
    return speech({ model: options.model, environment: io.environment, ...request });
  }
  return router.speech({ model: options.model, ...request });
}
