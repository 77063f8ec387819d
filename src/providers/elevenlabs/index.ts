import { z } from 'zod';
import type { ProviderFactory } from '../registry.js';
import { ELEVENLABS_DEFAULT_API_BASE, ELEVENLABS_SPEED_RANGE } from './elevenlabs-request.js';
import { createElevenLabsProvider } from './elevenlabs-provider.js';

const unit = z.number().min(0).max(1);

/**
 * The `litellm_params` an `elevenlabs/` deployment reads, under LiteLLM's names. LiteLLM falls
 * back to ELEVENLABS_API_KEY and ELEVENLABS_API_BASE; here the key is required in the config.
 * LiteLLM sends any other param into the JSON body; the body fields worth fixing per
 * deployment are declared (and checked) here instead.
 */
const elevenLabsParamsSchema = z.looseObject({
  api_key: z.string({ error: 'is required (for example "os.environ/ELEVENLABS_API_KEY")' }).min(1, 'must not be empty'),
  api_base: z.url().optional(),
  voice_settings: z
    .object({
      stability: unit.optional(),
      similarity_boost: unit.optional(),
      style: unit.optional(),
      use_speaker_boost: z.boolean().optional(),
      speed: z.number().min(ELEVENLABS_SPEED_RANGE.min).max(ELEVENLABS_SPEED_RANGE.max).optional(),
    })
    .strict()
    .optional(),
  language_code: z
    .string()
    .regex(/^[a-z]{2,3}$/, 'must be an ISO 639-1 code such as "de"')
    .optional(),
  apply_text_normalization: z.enum(['auto', 'on', 'off']).optional(),
  seed: z.number().int().min(0).max(4_294_967_295).optional(),
});

export const elevenLabsFactory: ProviderFactory = {
  id: 'elevenlabs',
  create({ model, params, dependencies }) {
    const parsed = elevenLabsParamsSchema.parse(params);
    return createElevenLabsProvider({
      dispatcher: dependencies.dispatcher,
      settings: {
        apiKey: parsed.api_key,
        apiBase: parsed.api_base ?? ELEVENLABS_DEFAULT_API_BASE,
        model,
        ...(parsed.voice_settings === undefined ? {} : { voiceSettings: parsed.voice_settings }),
        ...(parsed.language_code === undefined ? {} : { languageCode: parsed.language_code }),
        ...(parsed.apply_text_normalization === undefined ? {} : { applyTextNormalization: parsed.apply_text_normalization }),
        ...(parsed.seed === undefined ? {} : { seed: parsed.seed }),
      },
    });
  },
};
