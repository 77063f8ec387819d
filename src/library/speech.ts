import { ConfigError } from '../config/config-error.js';
import { parseModelString } from '../config/model-string.js';
import { BadRequestError } from './errors.js';
import { configOf } from './config.js';
import { composeLibrary, environmentOf, type RuntimeOptions } from './runtime.js';
import { type SpeechRequestOptions, synthesizeSpeech } from './synthesis-call.js';
import type { SpeechResponse } from './speech-response.js';

export interface SpeechOptions extends SpeechRequestOptions, RuntimeOptions {
  /**
   * A LiteLLM model string: `<provider>/<model>` (`openai/tts-1`, `elevenlabs/eleven_multilingual_v2`,
   * `azure/speech/azure-tts`, ...), or `espeak/<language>` for the local engine, which needs no key.
   */
  readonly model: string;
  /** The provider's key; `os.environ/NAME` reads a variable. */
  readonly apiKey?: string;
  readonly apiBase?: string;
  readonly apiVersion?: string;
  /** Seconds to wait for the first audio byte of one attempt. */
  readonly timeout?: number;
  /** Further tries after a retryable failure (2 by default, as the router's `num_retries`). */
  readonly maxRetries?: number;
  /** Any other `litellm_params` field the provider reads (`aws_region_name`, `vertex_project`, ...). */
  readonly [providerOption: string]: unknown;
}

const RUNTIME_KEYS = new Set(['ffmpegPath', 'espeakPath', 'espeakEngine', 'fetch', 'logger', 'environment']);
const REQUEST_KEYS = new Set(['input', 'voice', 'responseFormat', 'speed', 'instructions', 'user', 'signal']);
const PARAMS: Readonly<Record<string, string>> = { apiKey: 'api_key', apiBase: 'api_base', apiVersion: 'api_version', timeout: 'timeout' };

/**
 * One speech call, like LiteLLM's `litellm.speech()`: the model string names the provider, the
 * call runs on the server's own router (retries included) and `synthesize`, in this process.
 * Resolves once the first audio byte exists; the audio then streams.
 *
 * ```ts
 * const response = await speech({ model: 'espeak/en-us', voice: 'alloy', input: 'Hello!' });
 * await response.streamToFile('hello.mp3');
 * ```
 */
export async function speech(options: SpeechOptions): Promise<SpeechResponse> {
  const params: Record<string, unknown> = { model: options.model };
  const runtime: Record<string, unknown> = {};
  const request: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || key === 'model' || key === 'maxRetries') continue;
    if (RUNTIME_KEYS.has(key)) runtime[key] = value;
    else if (REQUEST_KEYS.has(key)) request[key] = value;
    else params[PARAMS[key] ?? key] = value;
  }
  const environment = environmentOf(runtime as RuntimeOptions);
  let composed: ReturnType<typeof composeLibrary>;
  try {
    const config = configOf(
      {
        model_list: [{ model_name: options.model, litellm_params: params as { model: string } }],
        ...(options.maxRetries === undefined ? {} : { router_settings: { num_retries: options.maxRetries } }),
      },
      environment,
    );
    composed = composeLibrary(config, runtime as RuntimeOptions);
    // A model the config loader does not take for a speech model (an unknown prefix, a chat model) is skipped there: here it is the caller's mistake.
    if (!composed.catalog.modelNames.includes(options.model)) {
      const parsed = parseModelString(options.model);
      const reason = 'error' in parsed ? parsed.error : `"${options.model}" is not a speech model`;
      throw new BadRequestError({ status: 400, message: `model: ${reason}`, param: 'model', code: 'invalid_value' });
    }
  } catch (error) {
    if (error instanceof ConfigError) throw badOptions(error);
    throw error;
  }
  return synthesizeSpeech(composed.synthesize, options.model, request as unknown as SpeechRequestOptions);
}

/** A config problem of a one-call deployment is a bad option: name it as the caller spelled it. */
function badOptions(error: ConfigError): BadRequestError {
  const spelled = Object.fromEntries(Object.entries(PARAMS).map(([option, param]) => [param, option]));
  const problems = error.problems.map((problem) =>
    problem.replace(/^model_list\.0\.litellm_params\.?/, '').replace(/^router_settings\.num_retries/, 'maxRetries'),
  );
  const first = problems[0] ?? '';
  const field = /^([A-Za-z_]+)/.exec(first)?.[1];
  const param = field === undefined ? null : (spelled[field] ?? field);
  return new BadRequestError({
    status: 400,
    message: problems.map((problem) => problem.replace(/^([A-Za-z_]+)/, (name) => spelled[name] ?? name)).join('; '),
    param,
    code: 'invalid_value',
    cause: error,
  });
}
