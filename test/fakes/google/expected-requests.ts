import type { FailureExpectation, SentSpeech } from '../../contract/provider-case.js';

/**
 * What the Gemini TTS and Cloud TTS fakes must receive for what the contract suite sends, written
 * out independently of the adapters' tables (the suite sends `alloy` or a native voice).
 */
const GEMINI_VOICE_FOR: Record<string, string> = { alloy: 'Kore' };
const CLOUD_TTS_VOICE_FOR: Record<string, { languageCode: string; name: string }> = { alloy: { languageCode: 'en-US', name: 'en-US-Studio-O' } };
const CLOUD_TTS_ENCODING_FOR: Record<string, string> = { mp3: 'MP3', opus: 'OGG_OPUS', aac: 'PCM', flac: 'PCM', wav: 'LINEAR16', pcm: 'PCM' };

export function expectedGeminiBody(sent: SentSpeech): unknown {
  const style = sent.instructions?.trim().replace(/[\s:;,.!]+$/u, '') ?? '';
  const text = style === '' ? sent.input : `${style}: ${sent.input}`;
  return {
    contents: [{ role: 'user', parts: [{ text }] }],
    generationConfig: {
      responseModalities: ['AUDIO'],
      speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: GEMINI_VOICE_FOR[sent.voice] ?? sent.voice } } },
    },
  };
}

export function expectedCloudTtsBody(sent: SentSpeech): unknown {
  const voice = CLOUD_TTS_VOICE_FOR[sent.voice] ?? { languageCode: sent.voice.split('-').slice(0, 2).join('-'), name: sent.voice };
  return {
    input: { text: sent.input },
    voice,
    audioConfig: { audioEncoding: CLOUD_TTS_ENCODING_FOR[sent.format], sampleRateHertz: 24_000, speakingRate: Math.min(2, Math.max(0.25, sent.speed)) },
  };
}

/** The failures every Google fake renders, and what the gateway must make of them. */
export function googleFailures(flavour: 'gemini' | 'vertex' | 'cloud_tts'): readonly FailureExpectation[] {
  return [
    {
      name: 'a 429 RESOURCE_EXHAUSTED with RetryInfo',
      failure: { kind: 'rate_limited', retryAfterSeconds: 37 },
      status: 429,
      code: 'rate_limit_exceeded',
      retryAfterSeconds: 37,
    },
    { name: 'a 429 RESOURCE_EXHAUSTED without a hint', failure: { kind: 'rate_limited' }, status: 429, code: 'rate_limit_exceeded' },
    { name: 'a 429 RESOURCE_EXHAUSTED on a daily quota', failure: { kind: 'quota_exceeded' }, status: 503, code: 'upstream_quota_exceeded' },
    { name: 'a 500 INTERNAL', failure: { kind: 'server_error' }, status: 502, code: 'upstream_unavailable' },
    { name: 'a 504 DEADLINE_EXCEEDED', failure: { kind: 'server_error', status: 504 }, status: 504, code: 'upstream_timeout' },
    { name: 'a 503 UNAVAILABLE', failure: { kind: 'unavailable' }, status: 502, code: 'upstream_unavailable' },
    { name: 'a 403 PERMISSION_DENIED', failure: { kind: 'auth' }, status: 502, code: 'upstream_authentication_failed' },
    { name: 'a 400 INVALID_ARGUMENT', failure: { kind: 'bad_request' }, status: 400, code: 'invalid_request' },
    {
      name:
        flavour === 'gemini'
          ? 'a blocked prompt (promptFeedback.blockReason)'
          : flavour === 'vertex'
            ? 'a candidate stopped for SAFETY without audio'
            : 'a 400 INVALID_ARGUMENT for harmful content',
      failure: { kind: 'content_rejected' },
      status: 400,
      code: 'content_policy_violation',
    },
    { name: 'a connection dropped inside the JSON body', failure: { kind: 'drop_mid_stream' }, status: 502, code: 'upstream_unavailable' },
  ];
}
