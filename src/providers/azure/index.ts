import { z } from 'zod';
import { openAICapabilities } from '../openai/openai-body.js';
import { openAIAdapter } from '../openai/openai-provider.js';
import { createHttpSpeechProvider } from '../shared/http-speech-provider.js';
import type { ProviderFactory } from '../registry.js';
import { AZURE_REQUEST_ID_HEADERS, readAzureFailure } from './azure-errors.js';
import { AZURE_DEFAULT_API_VERSION, azureModelName, azureRequestBuilder, type AzureCredential, type AzureSettings } from './azure-request.js';

/**
 * The `litellm_params` an `azure/<deployment>` deployment reads, under LiteLLM's names.
 * LiteLLM falls back to AZURE_API_KEY / AZURE_API_BASE / AZURE_API_VERSION; here the key (or
 * token) and the endpoint are required in the config, and the version has a default.
 */
const azureParamsSchema = z
  .looseObject({
    api_base: z.url({ error: 'is required: the resource endpoint, for example "https://my-resource.openai.azure.com"' }),
    api_version: z.string().min(1).optional(),
    api_key: z.string().min(1, 'must not be empty').optional(),
    azure_ad_token: z.string().min(1, 'must not be empty').optional(),
    base_model: z.string().min(1).optional(),
  })
  .refine((params) => (params.api_key === undefined) !== (params.azure_ad_token === undefined), {
    error: 'give exactly one of api_key and azure_ad_token',
    path: ['api_key'],
  });

export const azureFactory: ProviderFactory = {
  id: 'azure',
  create({ model: deployment, params, dependencies }) {
    const parsed = azureParamsSchema.parse(params);
    const settings: AzureSettings = {
      deployment,
      model: azureModelName(deployment, parsed.base_model),
      apiBase: parsed.api_base,
      apiVersion: parsed.api_version ?? AZURE_DEFAULT_API_VERSION,
      credential: credentialOf(parsed.api_key, parsed.azure_ad_token),
    };
    const adapter = openAIAdapter({
      id: 'azure',
      capabilities: openAICapabilities(settings.model),
      toProviderRequest: azureRequestBuilder(settings),
      readFailure: readAzureFailure,
      requestIdHeaders: AZURE_REQUEST_ID_HEADERS,
    });
    return createHttpSpeechProvider(adapter, dependencies.dispatcher);
  },
};

function credentialOf(apiKey: string | undefined, token: string | undefined): AzureCredential {
  if (apiKey !== undefined) return { type: 'api-key', apiKey };
  if (token !== undefined) return { type: 'bearer', token };
  throw new Error('give exactly one of api_key and azure_ad_token');
}
