import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { elevenLabsFactory } from '../../../../src/providers/elevenlabs/index.js';
import { dependenciesWith } from './dependencies.js';

const create = (model: string, params: Record<string, unknown>) =>
  elevenLabsFactory.create({ model, params: { model: `elevenlabs/${model}`, ...params }, dependencies: dependenciesWith() });

describe('elevenLabsFactory', () => {
  it.each([
    ['eleven_multilingual_v2', 10_000],
    ['eleven_turbo_v2_5', 40_000],
    ['eleven_flash_v2_5', 40_000],
    ['eleven_v3', 5_000],
    ['a_future_model', 5_000],
  ])('states the input limit of %s (%i characters)', (model, limit) => {
    expect(create(model, { api_key: 'sk' }).capabilities()).toEqual({
      maxInputCharacters: limit,
      speed: { min: 0.7, max: 1.2 },
      instructions: false,
      streaming: true,
    });
  });

  it('requires api_key', () => {
    expect(() => create('eleven_multilingual_v2', {})).toThrow(ZodError);
  });

  it('checks the body fields a deployment may fix', () => {
    expect(() =>
      create('eleven_v3', {
        api_key: 'sk',
        voice_settings: { stability: 0.5, use_speaker_boost: true },
        language_code: 'de',
        apply_text_normalization: 'auto',
        seed: 7,
      }),
    ).not.toThrow();
    expect(() => create('eleven_v3', { api_key: 'sk', voice_settings: { speed: 1.5 } })).toThrow(ZodError);
    expect(() => create('eleven_v3', { api_key: 'sk', voice_settings: { stabilty: 0.5 } })).toThrow(ZodError);
    expect(() => create('eleven_v3', { api_key: 'sk', apply_text_normalization: 'maybe' })).toThrow(ZodError);
  });
});
