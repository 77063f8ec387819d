import { z } from 'zod';
import type { ProviderFactory } from '../registry.js';
import { DEFAULT_USER_AGENT, type AzureSpeechCredential } from './azure-speech-request.js';
import { createAzureSpeechProvider } from './azure-speech-provider.js';

/**
 * The `litellm_params` an `azure/speech/` deployment reads, under LiteLLM's names
 * (docs.litellm.ai/docs/providers/azure_ai_speech). LiteLLM falls back to AZURE_API_BASE and
 * AZURE_API_KEY; here `api_base` and a credential are required in the config instead.
 */
const azureSpeechParamsSchema = z
  .looseObject({
    api_base: z.url({ error: 'is required: the resource endpoint, for example "https://eastus.tts.speech.microsoft.com"' }),
    api_key: z.string().min(1, 'must not be empty').optional(),
    azure_ad_token: z.string().min(1, 'must not be empty').optional(),
    style: z.string().min(1).optional(),
    styledegree: z.union([z.number().min(0.01).max(2), z.string().min(1)]).optional(),
    role: z.string().min(1).optional(),
    lang: z.string().min(1).optional(),
  })
  .refine((params) => params.api_key !== undefined || params.azure_ad_token !== undefined, {
    path: ['api_key'],
    error: 'is required (the Speech resource key, for example "os.environ/AZURE_TTS_API_KEY"), unless azure_ad_token is set',
  });

export const azureSpeechFactory: ProviderFactory = {
  id: 'azure_speech',
  create({ params, dependencies }) {
    const parsed = azureSpeechParamsSchema.parse(params);
    return createAzureSpeechProvider({
      dispatcher: dependencies.dispatcher,
      settings: {
        apiBase: parsed.api_base,
        credential: credentialOf(parsed.api_key, parsed.azure_ad_token),
        userAgent: DEFAULT_USER_AGENT,
        style: {
          ...(parsed.style === undefined ? {} : { style: parsed.style }),
          ...(parsed.styledegree === undefined ? {} : { styleDegree: String(parsed.styledegree) }),
          ...(parsed.role === undefined ? {} : { role: parsed.role }),
          ...(parsed.lang === undefined ? {} : { lang: parsed.lang }),
        },
      },
    });
  },
};

/** A key wins over a token when both are set, as in LiteLLM. */
function credentialOf(apiKey: string | undefined, token: string | undefined): AzureSpeechCredential {
  if (apiKey !== undefined) return { kind: 'key', key: apiKey };
  if (token !== undefined) return { kind: 'token', token };
  throw new Error('api_key or azure_ad_token is required');
}
