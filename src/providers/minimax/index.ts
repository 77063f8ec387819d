import { z } from 'zod';
import type { ProviderFactory } from '../registry.js';
import { createMiniMaxProvider } from './minimax-provider.js';
import { MINIMAX_DEFAULT_API_BASE, type MiniMaxSettings } from './minimax-request.js';

const chosenByGateway = z.never({ error: 'is chosen by the gateway for each response format; leave it out' }).optional();

/**
 * The `litellm_params` a `minimax/<model>` deployment reads, under LiteLLM's names. LiteLLM
 * falls back to MINIMAX_API_KEY and MINIMAX_API_BASE; here the key is required
 * (`os.environ/MINIMAX_API_KEY` names it) and the base defaults to the global host.
 */
const miniMaxParamsSchema = z.looseObject({
  api_key: z.string({ error: 'is required (for example "os.environ/MINIMAX_API_KEY")' }).min(1, 'must not be empty'),
  api_base: z.url().optional(),
  vol: z.number().gt(0).max(10).optional(),
  pitch: z.number().int().min(-12).max(12).optional(),
  language_boost: z.string().min(1).optional(),
  // The gateway picks the audio settings per response format and states them to the transcoder.
  sample_rate: chosenByGateway,
  bitrate: chosenByGateway,
  channel: chosenByGateway,
  output_format: chosenByGateway,
});

export const miniMaxFactory: ProviderFactory = {
  id: 'minimax',
  create({ model, params, dependencies }) {
    const parsed = miniMaxParamsSchema.parse(params);
    const settings: MiniMaxSettings = {
      model,
      apiKey: parsed.api_key,
      apiBase: parsed.api_base ?? MINIMAX_DEFAULT_API_BASE,
      volume: parsed.vol ?? 1,
      pitch: parsed.pitch ?? 0,
      ...(parsed.language_boost === undefined ? {} : { languageBoost: parsed.language_boost }),
    };
    return createMiniMaxProvider({ settings, dispatcher: dependencies.dispatcher });
  },
};
