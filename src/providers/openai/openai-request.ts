import type { SpeechRequest } from '../spec/types.js';
import { openAIEncoding, toSpeechBody, type OpenAIHttpRequest } from './openai-body.js';

export interface OpenAISettings {
  /** The model after `openai/` (or the bare model name). */
  readonly model: string;
  readonly apiKey: string;
  /** Up to and including `/v1`, as in LiteLLM's `api_base` and the SDK's `baseURL`. */
  readonly apiBase: string;
  readonly organization?: string;
  readonly project?: string;
}

export const OPENAI_DEFAULT_API_BASE = 'https://api.openai.com/v1';

/** The exact call to OpenAI for `request` (https://platform.openai.com/docs/api-reference/audio/createSpeech). */
export function toProviderRequest(request: SpeechRequest, settings: OpenAISettings): OpenAIHttpRequest {
  return openAIRequestBuilder(settings)(request);
}

/** `toProviderRequest` for one deployment: the URL and headers are made once, only the body per request. */
export function openAIRequestBuilder(settings: OpenAISettings): (request: SpeechRequest) => OpenAIHttpRequest {
  const url = `${settings.apiBase.replace(/\/+$/, '')}/audio/speech`;
  const headers: Record<string, string> = {
    authorization: `Bearer ${settings.apiKey}`,
    'content-type': 'application/json',
    // As openai-node sends it: the answer is binary audio, not JSON.
    accept: 'application/octet-stream',
    ...(settings.organization === undefined ? {} : { 'openai-organization': settings.organization }),
    ...(settings.project === undefined ? {} : { 'openai-project': settings.project }),
  };
  return (request) => {
    const { body, warnings } = toSpeechBody(request, settings.model);
    return { url, headers, body, encoding: openAIEncoding(body.response_format), warnings };
  };
}
