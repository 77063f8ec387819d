import type { StreamedSpeechCall } from '../shared/http-speech-provider.js';
import type { SpeechRequest } from '../spec/types.js';
import type { SpeechWarning } from '../spec/warnings.js';
import { elevenLabsOutputFormat } from './elevenlabs-formats.js';
import { resolveElevenLabsVoice } from './elevenlabs-voices.js';

export const ELEVENLABS_DEFAULT_API_BASE = 'https://api.elevenlabs.io';

/**
 * `voice_settings.speed` is accepted from 0.7 to 1.2; outside it the API answers 422.
 * https://elevenlabs.io/docs/api-reference/text-to-speech/stream#request.body.voice_settings.speed
 */
export const ELEVENLABS_SPEED_RANGE = { min: 0.7, max: 1.2 } as const;

/** ElevenLabs' voice settings, snake_case as on the wire. */
/** As zod parses it from the config: an absent field may be present as undefined. */
interface ElevenLabsVoiceSettings {
  readonly stability?: number | undefined;
  readonly similarity_boost?: number | undefined;
  readonly style?: number | undefined;
  readonly use_speaker_boost?: boolean | undefined;
  readonly speed?: number | undefined;
}

export interface ElevenLabsSettings {
  readonly apiKey: string;
  readonly apiBase: string;
  /** The model id, from `elevenlabs/<model_id>`. */
  readonly model: string;
  /** Body fields the deployment fixes (LiteLLM passes such extra params into the body). */
  readonly voiceSettings?: ElevenLabsVoiceSettings;
  readonly languageCode?: string;
  readonly applyTextNormalization?: 'auto' | 'on' | 'off';
  readonly seed?: number;
}

/** The JSON body of `POST /v1/text-to-speech/{voice_id}/stream`. */
interface ElevenLabsBody {
  readonly text: string;
  readonly model_id: string;
  readonly voice_settings?: ElevenLabsVoiceSettings;
  readonly language_code?: string;
  readonly apply_text_normalization?: 'auto' | 'on' | 'off';
  readonly seed?: number;
}

export interface ElevenLabsCall extends StreamedSpeechCall {
  readonly body: ElevenLabsBody;
}

/**
 * The one HTTP request a speech request becomes. Pure. It uses the `/stream` endpoint (LiteLLM
 * uses the plain one): the same bytes, sent while they are generated.
 */
export function toProviderRequest(request: SpeechRequest, settings: ElevenLabsSettings): ElevenLabsCall {
  const warnings: SpeechWarning[] = [];
  const output = elevenLabsOutputFormat(request.format);
  const voiceId = resolveElevenLabsVoice(request.voice);
  const url = new URL(`${settings.apiBase.replace(/\/+$/, '')}/v1/text-to-speech/${encodeURIComponent(voiceId)}/stream`);
  url.searchParams.set('output_format', output.outputFormat);
  if (request.instructions !== undefined && request.instructions.trim() !== '') {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'instructions',
      details: 'ElevenLabs takes no style prompt (eleven_v3 reads audio tags such as [whispers] in the text itself)',
    });
  }
  const voiceSettings = withSpeed(settings.voiceSettings, request.speed, warnings);
  return {
    url: url.toString(),
    headers: { 'xi-api-key': settings.apiKey, 'Content-Type': 'application/json' },
    body: {
      text: request.input,
      model_id: settings.model,
      ...(voiceSettings === undefined ? {} : { voice_settings: voiceSettings }),
      ...(settings.languageCode === undefined ? {} : { language_code: settings.languageCode }),
      ...(settings.applyTextNormalization === undefined ? {} : { apply_text_normalization: settings.applyTextNormalization }),
      ...(settings.seed === undefined ? {} : { seed: settings.seed }),
    },
    encoding: output.encoding,
    warnings,
  };
}

/**
 * The request's speed merged into the deployment's voice settings, as LiteLLM merges it. At
 * 1.0 nothing is added, so the voice keeps its own stored settings (or the deployment's speed).
 */
function withSpeed(configured: ElevenLabsVoiceSettings | undefined, speed: number, warnings: SpeechWarning[]): ElevenLabsVoiceSettings | undefined {
  if (speed === 1) return configured;
  const applied = Math.min(ELEVENLABS_SPEED_RANGE.max, Math.max(ELEVENLABS_SPEED_RANGE.min, speed));
  if (applied !== speed) warnings.push({ type: 'clamped-setting', setting: 'speed', requested: speed, applied });
  return { ...configured, speed: applied };
}
