import type { ResponseFormat } from '../../audio/formats.js';
import type { StreamedSpeechCall } from '../shared/http-speech-provider.js';
import type { SpeechRequest } from '../spec/types.js';
import type { SpeechWarning } from '../spec/warnings.js';
import { resolveMiniMaxVoice } from './minimax-voices.js';

export const MINIMAX_DEFAULT_API_BASE = 'https://api.minimax.io';
/** `text` must be shorter than 10,000 characters. */
export const MINIMAX_MAX_INPUT_CHARACTERS = 9999;
export const MINIMAX_MIN_SPEED = 0.5;
export const MINIMAX_MAX_SPEED = 2;

export interface MiniMaxSettings {
  /** The model after `minimax/`, e.g. `speech-02-hd`. */
  readonly model: string;
  readonly apiKey: string;
  readonly apiBase: string;
  /** `voice_setting.vol`, (0, 10]; LiteLLM sends 1. */
  readonly volume: number;
  /** `voice_setting.pitch`, -12..12 semitones; LiteLLM sends 0. */
  readonly pitch: number;
  /** `language_boost`, e.g. `English` or `auto`. */
  readonly languageBoost?: string;
}

export interface MiniMaxHttpRequest extends StreamedSpeechCall {
  readonly body: string;
}

type MiniMaxFormat = 'mp3' | 'pcm' | 'flac';

/**
 * The `audio_setting` per requested format. The call always streams, and MiniMax streams
 * mp3, pcm and flac only (wav is non-streaming), so wav, opus and aac come as 24 kHz pcm
 * for the gateway to wrap or encode. mp3 and flac keep LiteLLM's 32 kHz and 128 kb/s.
 */
const AUDIO_SETTINGS: Record<ResponseFormat, { readonly format: MiniMaxFormat; readonly sampleRate: number }> = {
  mp3: { format: 'mp3', sampleRate: 32_000 },
  flac: { format: 'flac', sampleRate: 32_000 },
  pcm: { format: 'pcm', sampleRate: 24_000 },
  wav: { format: 'pcm', sampleRate: 24_000 },
  opus: { format: 'pcm', sampleRate: 24_000 },
  aac: { format: 'pcm', sampleRate: 24_000 },
};

/** The exact T2A v2 call for `request` (https://platform.minimax.io/docs/api-reference/speech-t2a-http). */
export function toProviderRequest(request: SpeechRequest, settings: MiniMaxSettings): MiniMaxHttpRequest {
  const warnings: SpeechWarning[] = [];
  const speed = Math.min(MINIMAX_MAX_SPEED, Math.max(MINIMAX_MIN_SPEED, request.speed));
  if (speed !== request.speed) warnings.push({ type: 'clamped-setting', setting: 'speed', requested: request.speed, applied: speed });
  if (request.instructions !== undefined && request.instructions.trim() !== '') {
    warnings.push({ type: 'unsupported-setting', setting: 'instructions', details: 'MiniMax T2A has no style prompt' });
  }
  const audio = AUDIO_SETTINGS[request.format];
  const body = {
    model: settings.model,
    text: request.input,
    // Streaming, unlike LiteLLM: audio reaches the client while MiniMax still generates it.
    stream: true,
    output_format: 'hex',
    voice_setting: { voice_id: resolveMiniMaxVoice(request.voice), speed, vol: settings.volume, pitch: settings.pitch },
    audio_setting: { sample_rate: audio.sampleRate, bitrate: 128_000, format: audio.format, channel: 1 },
    ...(settings.languageBoost === undefined ? {} : { language_boost: settings.languageBoost }),
  };
  return {
    url: `${settings.apiBase.replace(/\/+$/, '')}/v1/t2a_v2`,
    headers: { authorization: `Bearer ${settings.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    encoding: { format: audio.format, sampleRate: audio.sampleRate, channels: 1 },
    warnings,
  };
}
