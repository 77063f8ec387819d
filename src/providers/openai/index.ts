import { z } from 'zod';
import type { ProviderFactory } from '../registry.js';
import { createHttpSpeechProvider } from '../shared/http-speech-provider.js';
import { openAICapabilities } from './openai-body.js';
import { readOpenAIFailure } from './openai-errors.js';
import { OPENAI_REQUEST_ID_HEADERS, openAIAdapter } from './openai-provider.js';
import { OPENAI_DEFAULT_API_BASE, openAIRequestBuilder, type OpenAISettings } from './openai-request.js';

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
    const adapter = openAIAdapter({
      id: 'openai',
      capabilities: openAICapabilities(model),
      toProviderRequest: openAIRequestBuilder(settings),
      readFailure: readOpenAIFailure,
      requestIdHeaders: OPENAI_REQUEST_ID_HEADERS,
    });
    return createHttpSpeechProvider(adapter, dependencies.dispatcher);
  },
};
