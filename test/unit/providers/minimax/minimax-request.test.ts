import { describe, expect, it } from 'vitest';
import { toProviderRequest, type MiniMaxSettings } from '../../../../src/providers/minimax/minimax-request.js';
import { OPENAI_TO_MINIMAX_VOICES } from '../../../../src/providers/minimax/minimax-voices.js';
import type { SpeechRequest } from '../../../../src/providers/spec/types.js';
import { FAKE_MINIMAX_VOICES } from '../../../fakes/minimax/voices.js';

const SETTINGS: MiniMaxSettings = { model: 'speech-02-hd', apiKey: 'mm-key', apiBase: 'https://api.minimax.io', volume: 1, pitch: 0 };

function speech(overrides: Partial<SpeechRequest> = {}): SpeechRequest {
  return { input: 'Hello there.', voice: 'alloy', format: 'mp3', speed: 1, signal: new AbortController().signal, ...overrides };
}

const bodyOf = (request: { body: string }): Record<string, unknown> => JSON.parse(request.body) as Record<string, unknown>;

describe('toProviderRequest (MiniMax T2A v2)', () => {
  it('posts LiteLLM’s body, streaming, with Bearer auth', () => {
    const request = toProviderRequest(speech(), SETTINGS);
    expect(request.url).toBe('https://api.minimax.io/v1/t2a_v2');
    expect(request.headers).toEqual({ authorization: 'Bearer mm-key', 'content-type': 'application/json' });
    expect(bodyOf(request)).toEqual({
      model: 'speech-02-hd',
      text: 'Hello there.',
      stream: true,
      output_format: 'hex',
      voice_setting: { voice_id: 'male-qn-qingse', speed: 1, vol: 1, pitch: 0 },
      audio_setting: { sample_rate: 32000, bitrate: 128000, format: 'mp3', channel: 1 },
    });
    expect(request.encoding).toEqual({ format: 'mp3', sampleRate: 32_000, channels: 1 });
    expect(request.warnings).toEqual([]);
  });

  it('joins the api_base without a double slash', () => {
    expect(toProviderRequest(speech(), { ...SETTINGS, apiBase: 'https://api-uw.minimax.io/' }).url).toBe('https://api-uw.minimax.io/v1/t2a_v2');
  });

  it.each([
    ['mp3', 'mp3', 32_000],
    ['flac', 'flac', 32_000],
    ['pcm', 'pcm', 24_000],
    ['wav', 'pcm', 24_000],
    ['opus', 'pcm', 24_000],
    ['aac', 'pcm', 24_000],
  ] as const)('asks for %s as streamable %s at %i Hz and states it', (format, sent, sampleRate) => {
    const request = toProviderRequest(speech({ format }), SETTINGS);
    expect(bodyOf(request)['audio_setting']).toMatchObject({ format: sent, sample_rate: sampleRate });
    expect(request.encoding).toEqual({ format: sent, sampleRate, channels: 1 });
  });

  it('maps the 13 OpenAI voices to known system voices, case-insensitively, and passes others through', () => {
    expect(Object.keys(OPENAI_TO_MINIMAX_VOICES)).toHaveLength(13);
    for (const voice of Object.values(OPENAI_TO_MINIMAX_VOICES)) expect(FAKE_MINIMAX_VOICES.has(voice), voice).toBe(true);
    expect(OPENAI_TO_MINIMAX_VOICES).toMatchObject({
      alloy: 'male-qn-qingse',
      echo: 'male-qn-jingying',
      fable: 'female-shaonv',
      onyx: 'male-qn-badao',
      nova: 'female-yujie',
      shimmer: 'female-tianmei',
    });
    const voiceOf = (voice: string) => (bodyOf(toProviderRequest(speech({ voice }), SETTINGS))['voice_setting'] as { voice_id: string }).voice_id;
    expect(voiceOf(' Nova ')).toBe('female-yujie');
    expect(voiceOf('English_Graceful_Lady')).toBe('English_Graceful_Lady');
  });

  it('clamps speed to 0.5–2 and says so', () => {
    const slow = toProviderRequest(speech({ speed: 0.25 }), SETTINGS);
    expect(bodyOf(slow)['voice_setting']).toMatchObject({ speed: 0.5 });
    expect(slow.warnings).toEqual([{ type: 'clamped-setting', setting: 'speed', requested: 0.25, applied: 0.5 }]);
    const fast = toProviderRequest(speech({ speed: 4 }), SETTINGS);
    expect(bodyOf(fast)['voice_setting']).toMatchObject({ speed: 2 });
    expect(fast.warnings).toEqual([{ type: 'clamped-setting', setting: 'speed', requested: 4, applied: 2 }]);
    expect(toProviderRequest(speech({ speed: 1.7 }), SETTINGS).warnings).toEqual([]);
  });

  it('warns that instructions are not supported', () => {
    expect(toProviderRequest(speech({ instructions: 'Whisper' }), SETTINGS).warnings).toEqual([
      expect.objectContaining({ type: 'unsupported-setting', setting: 'instructions' }),
    ]);
  });

  it('sends the deployment’s volume, pitch and language boost', () => {
    const body = bodyOf(toProviderRequest(speech(), { ...SETTINGS, volume: 2, pitch: -3, languageBoost: 'English' }));
    expect(body['voice_setting']).toMatchObject({ vol: 2, pitch: -3 });
    expect(body['language_boost']).toBe('English');
  });
});
