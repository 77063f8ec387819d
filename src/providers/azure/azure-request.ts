import { openAIEncoding, toSpeechBody, type OpenAIHttpRequest } from '../openai/openai-body.js';
import type { SpeechRequest } from '../spec/types.js';

/** Azure takes a resource key or a Microsoft Entra ID token, never both. */
export type AzureCredential = { readonly type: 'api-key'; readonly apiKey: string } | { readonly type: 'bearer'; readonly token: string };

export interface AzureSettings {
  /** The deployment name, from `azure/<deployment>`. */
  readonly deployment: string;
  /** The model behind the deployment (`base_model`, else the deployment name): sent as `model`, and it decides `instructions`. */
  readonly model: string;
  /** The resource endpoint, e.g. `https://my-resource.openai.azure.com`. */
  readonly apiBase: string;
  readonly apiVersion: string;
  readonly credential: AzureCredential;
}

/** The version that serves gpt-4o-mini-tts as well as tts-1 and tts-1-hd. */
export const AZURE_DEFAULT_API_VERSION = '2025-03-01-preview';

/**
 * The OpenAI call with Azure's URL and auth: the deployment goes in the path and `api-version`
 * in the query, as openai-node's `AzureOpenAI` client builds them
 * (https://learn.microsoft.com/azure/ai-services/openai/reference#text-to-speech-preview).
 */
export function toProviderRequest(request: SpeechRequest, settings: AzureSettings): OpenAIHttpRequest {
  return azureRequestBuilder(settings)(request);
}

/** `toProviderRequest` for one deployment: the URL and headers are made once, only the body per request. */
export function azureRequestBuilder(settings: AzureSettings): (request: SpeechRequest) => OpenAIHttpRequest {
  const url = new URL(`${settings.apiBase.replace(/\/+$/, '')}/openai/deployments/${encodeURIComponent(settings.deployment)}/audio/speech`);
  url.searchParams.set('api-version', settings.apiVersion);
  const auth: Record<string, string> =
    settings.credential.type === 'api-key' ? { 'api-key': settings.credential.apiKey } : { authorization: `Bearer ${settings.credential.token}` };
  const href = url.toString();
  const headers = { ...auth, 'content-type': 'application/json', accept: 'application/octet-stream' };
  return (request) => {
    const { body, warnings } = toSpeechBody(request, settings.model);
    return { url: href, headers, body, encoding: openAIEncoding(body.response_format), warnings };
  };
}

/** LiteLLM writes base models with their prefix (`azure/gpt-4o-mini-tts`); Azure's body wants the bare name. */
export function azureModelName(deployment: string, baseModel: string | undefined): string {
  return baseModel === undefined ? deployment : baseModel.replace(/^azure\//, '');
}
