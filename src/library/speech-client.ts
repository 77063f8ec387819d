import { z } from 'zod';
import { RESPONSE_FORMATS } from '../audio/formats.js';
import type { ModelCapabilities } from '../domain/model-capabilities.js';
import type { AttemptRecord } from '../router/attempts.js';
import { abortReason, toLibraryError } from './errors.js';
import { bodyChunks, createHttpClient, type GatewayClientOptions } from './http-client.js';
import { SpeechResponse } from './speech-response.js';
import type { SpeechRequestOptions } from './synthesis-call.js';

export interface RemoteSpeechOptions extends SpeechRequestOptions {
  /** A `model_name` of the server's config. */
  readonly model: string;
  readonly fallbacks?: readonly string[];
}

/** The synchronous side of a running tts-gateway's HTTP API, with the same response type as in-process calls. */
export interface SpeechClient {
  speech(options: RemoteSpeechOptions): Promise<SpeechResponse>;
  /** The model groups this key may use. */
  models(): Promise<string[]>;
  capabilities(model: string): Promise<ModelCapabilities>;
}

const modelsSchema = z.object({ data: z.array(z.looseObject({ id: z.string() })) });
const capabilitiesSchema = z.looseObject({ id: z.string(), voices: z.array(z.string()), providers: z.array(z.string()) });

/** `model/deployment:outcome:ms, ...`, as `x-tts-attempt-log` writes it (`router/attempts.ts`). */
function attemptsOf(log: string | null, provider: string): AttemptRecord[] {
  if (log === null || log === '') return [];
  return log.split(', ').flatMap((entry) => {
    const match = /^(.*)\/([^/:]+):([^:]+):(\d+)$/.exec(entry);
    if (match === null) return [];
    const [, modelName = '', deploymentId = '', outcome = '', ms = '0'] = match;
    return [{ modelName, deploymentId, outcome, durationMs: Number(ms), provider: outcome === 'success' ? provider : '' }];
  });
}

export function createSpeechClient(options: GatewayClientOptions): SpeechClient {
  const call = createHttpClient(options);
  return {
    async speech(request) {
      const controller = new AbortController();
      const signal = request.signal;
      if (signal?.aborted === true) throw abortReason(signal);
      signal?.addEventListener('abort', () => controller.abort(abortReason(signal)), { once: true });
      const format = request.responseFormat ?? 'mp3';
      if (!RESPONSE_FORMATS.includes(format)) throw toLibraryError(new TypeError(`responseFormat must be one of ${RESPONSE_FORMATS.join(', ')}`));
      const response = await call({
        method: 'POST',
        path: '/v1/audio/speech',
        body: {
          model: request.model,
          input: request.input,
          voice: request.voice,
          response_format: format,
          speed: request.speed,
          instructions: request.instructions,
          user: request.user,
          fallbacks: request.fallbacks,
        },
        signal: controller.signal,
      });
      const header = (name: string): string | null => response.headers.get(name);
      const provider = header('x-tts-provider') ?? '';
      const attempts = attemptsOf(header('x-tts-attempt-log'), provider);
      const served = attempts.at(-1);
      return new SpeechResponse(
        {
          format,
          contentType: header('content-type') ?? '',
          deployment: { id: header('x-tts-deployment') ?? '', modelName: served?.modelName ?? request.model, provider, model: '' },
          attempts,
          warnings: (header('x-tts-warnings') ?? '').split('; ').filter((warning) => warning !== ''),
          characters: Number(header('x-tts-characters') ?? 0),
          costUsd: Number(header('x-tts-cost-usd') ?? 0),
        },
        bodyChunks(response),
        controller,
      );
    },
    async models() {
      const response = await call({ method: 'GET', path: '/v1/models' });
      return modelsSchema.parse(await response.json()).data.map((model) => model.id);
    },
    async capabilities(model) {
      const response = await call({ method: 'GET', path: `/v1/models/${encodeURIComponent(model)}/capabilities` });
      return capabilitiesSchema.parse(await response.json()) as unknown as ModelCapabilities;
    },
  };
}
