import { describe, expect, it } from 'vitest';
import { openAICapabilities, openAIEncoding } from '../../../../src/providers/openai/openai-body.js';

describe('openAIEncoding', () => {
  it('states 24 kHz mono for headerless pcm and for wav', () => {
    expect(openAIEncoding('pcm')).toEqual({ format: 'pcm', sampleRate: 24_000, channels: 1 });
    expect(openAIEncoding('wav')).toEqual({ format: 'wav', sampleRate: 24_000, channels: 1 });
  });

  it('names the compressed formats as asked, their containers carry the rate', () => {
    for (const format of ['mp3', 'opus', 'aac', 'flac'] as const) expect(openAIEncoding(format)).toEqual({ format });
  });
});

describe('openAICapabilities', () => {
  it('makes every format natively, takes 4096 characters and speeds 0.25 to 4, streaming', () => {
    expect(openAICapabilities('tts-1')).toEqual({
      maxInputCharacters: 4096,
      speed: { min: 0.25, max: 4 },
      instructions: false,
      streaming: true,
    });
  });

  it('offers instructions only for the gpt-4o-mini-tts family', () => {
    expect(openAICapabilities('gpt-4o-mini-tts').instructions).toBe(true);
    expect(openAICapabilities('gpt-4o-mini-tts-2025-12-15').instructions).toBe(true);
    expect(openAICapabilities('tts-1-hd').instructions).toBe(false);
    expect(openAICapabilities('gpt-4o-mini-ttsx').instructions).toBe(false);
  });
});
