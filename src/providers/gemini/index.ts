import { z } from 'zod';
import type { ProviderFactory } from '../registry.js';
import { createGeminiProvider } from './gemini-provider.js';
import { GEMINI_DEFAULT_API_BASE } from './gemini-request.js';

/**
 * The `litellm_params` a `gemini/` deployment reads, under LiteLLM's names. LiteLLM falls back to
 * GEMINI_API_KEY; here the key is required (`os.environ/GEMINI_API_KEY` names it).
 */
const geminiParamsSchema = z.looseObject({
  api_key: z.string({ error: 'is required (for example "os.environ/GEMINI_API_KEY")' }).min(1, 'must not be empty'),
  api_base: z.url().optional(),
});

export const geminiFactory: ProviderFactory = {
  id: 'gemini',
  create({ model, params, dependencies }) {
    const parsed = geminiParamsSchema.parse(params);
    return createGeminiProvider({
      settings: { model, apiKey: parsed.api_key, apiBase: parsed.api_base ?? GEMINI_DEFAULT_API_BASE },
      dispatcher: dependencies.dispatcher,
    });
  },
};
