import { z } from 'zod';
import type { ProviderFactory } from '../registry.js';
import { readOpenAIFailure } from './openai-errors.js';
import { OPENAI_DEFAULT_API_BASE, toProviderRequest, type OpenAISettings } from './openai-request.js';
import { openAICapabilities } from './openai-body.js';
import { createOpenAISpeechProvider } from './openai-provider.js';

/**
 * The `litellm_params` an `openai/` deployment reads, under LiteLLM's names. LiteLLM falls
 * back to OPENAI_API_KEY; here the key is required (`os.environ/OPENAI_API_KEY` names it).
 */
const openaiParamsSchema = z.looseObject({
  api_key: z.string({ error: 'is required (for example "os.environ/OPENAI_API_KEY")' }).min(1, 'must not be empty'),
  api_base: z.url().optional(),
  organization: z.string().min(1).optional(),
  project: z.string().min(1).optional(),
});

export const openaiFactory: ProviderFactory = {
  id: 'openai',
  create({ model, params, dependencies }) {
    const parsed = openaiParamsSchema.parse(params);
    const settings: OpenAISettings = {
      model,
      apiKey: parsed.api_key,
      apiBase: parsed.api_base ?? OPENAI_DEFAULT_API_BASE,
      ...(parsed.organization === undefined ? {} : { organization: parsed.organization }),
      ...(parsed.project === undefined ? {} : { project: parsed.project }),
    };
    return createOpenAISpeechProvider({
      id: 'openai',
      capabilities: openAICapabilities(model),
      toProviderRequest: (request) => toProviderRequest(request, settings),
      readFailure: readOpenAIFailure,
      fetch: dependencies.fetch,
    });
  },
};
