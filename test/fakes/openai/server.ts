import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sampleAudio } from '../sample-audio.js';
import { dropMidStream, startFakeServer, type FakeContext, type FakeServer, type FakeServerOptions } from '../fake-server.js';
import { azureFailure, openAIFailure } from './failures.js';
import { isErrorAnswer, validateSpeech, type ValidSpeech } from './validate-speech.js';
import { AUDIO_CONTENT_TYPES, azureError, openAIError, sendError } from './wire.js';

export const FAKE_OPENAI_API_KEY = 'sk-fake-openai-0123456789';
export const FAKE_AZURE_API_KEY = '0123456789abcdef0123456789abcdef';
export const FAKE_AZURE_AD_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.fake-entra-token';

export interface OpenAIFakeOptions extends FakeServerOptions {
  /** The key `Authorization: Bearer` must carry. */
  readonly apiKey?: string;
}

/**
 * A fake `https://api.openai.com/v1`: `POST /v1/audio/speech` with the real checks (Bearer
 * key, JSON body, enums, limits) and the real answers (audio bytes, chunked, with the
 * format's Content-Type; OpenAI's error envelope and headers).
 */
export function startOpenAIFake(options: OpenAIFakeOptions = {}): Promise<FakeServer> {
  const apiKey = options.apiKey ?? FAKE_OPENAI_API_KEY;
  return startFakeServer(async (context, response) => {
    const { request } = context;
    const headers = { 'x-request-id': `req_${randomUUID().replaceAll('-', '')}`, 'openai-processing-ms': '42', 'openai-version': '2020-10-01' };
    if (request.method !== 'POST' || request.path !== '/v1/audio/speech') {
      return sendError(
        response,
        openAIError(404, { message: `Invalid URL (${request.method} ${request.path})`, type: 'invalid_request_error', param: null, code: null }),
        headers,
      );
    }
    const authorization = request.headers['authorization'];
    if (authorization === undefined) {
      return sendError(
        response,
        openAIError(401, {
          message:
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          type: 'invalid_request_error',
          param: null,
          code: null,
        }),
        headers,
      );
    }
    if (authorization !== `Bearer ${apiKey}`) {
      return sendError(
        response,
        openAIError(401, {
          message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        }),
        headers,
      );
    }
    const bodyModel = modelOf(request.body);
    const injected = context.failure === undefined ? undefined : openAIFailure(context.failure, bodyModel ?? 'tts-1');
    if (injected !== undefined) return sendError(response, injected, headers);
    const speech = validateSpeech(request, undefined);
    if (isErrorAnswer(speech)) return sendError(response, speech, headers);
    await answer(context, response, speech, {
      ...headers,
      'x-ratelimit-limit-requests': '500',
      'x-ratelimit-remaining-requests': '499',
      'x-ratelimit-reset-requests': '120ms',
    });
  }, options);
}

export interface AzureOpenAIFakeOptions extends FakeServerOptions {
  readonly apiKey?: string;
  /** The Microsoft Entra ID token `Authorization: Bearer` may carry instead of the key. */
  readonly adToken?: string;
  /** Deployment name → the model it runs. */
  readonly deployments?: Readonly<Record<string, string>>;
}

const DEFAULT_AZURE_DEPLOYMENTS: Readonly<Record<string, string>> = {
  tts: 'tts-1',
  'tts-hd': 'tts-1-hd',
  'speech-mini': 'gpt-4o-mini-tts',
};

const AZURE_SPEECH_PATH = /^\/openai\/deployments\/([^/]+)\/audio\/speech$/;
const API_VERSION = /^\d{4}-\d{2}-\d{2}(?:-preview)?$/;

/**
 * A fake Azure OpenAI resource: `POST /openai/deployments/{deployment}/audio/speech?api-version=…`
 * with `api-key` or an Entra `Authorization: Bearer` token. The body is OpenAI's and is checked
 * against the deployment's model.
 */
export function startAzureOpenAIFake(options: AzureOpenAIFakeOptions = {}): Promise<FakeServer> {
  const apiKey = options.apiKey ?? FAKE_AZURE_API_KEY;
  const adToken = options.adToken ?? FAKE_AZURE_AD_TOKEN;
  const deployments = options.deployments ?? DEFAULT_AZURE_DEPLOYMENTS;
  return startFakeServer(async (context, response) => {
    const { request } = context;
    const requestId = randomUUID();
    const headers = { 'apim-request-id': requestId, 'x-request-id': requestId, 'x-ms-region': 'Sweden Central' };
    const match = AZURE_SPEECH_PATH.exec(request.path);
    const apiVersion = request.query.get('api-version');
    if (request.method !== 'POST' || match === null || apiVersion === null || !API_VERSION.test(apiVersion)) {
      return sendError(response, azureError(404, '404', 'Resource not found'), headers);
    }
    const key = request.headers['api-key'];
    const authorization = request.headers['authorization'];
    if (key === undefined && authorization === undefined) {
      return sendError(
        response,
        azureError(401, '401', 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.'),
        headers,
      );
    }
    if (key !== undefined ? key !== apiKey : authorization !== `Bearer ${adToken}`) {
      return sendError(
        response,
        azureError(
          401,
          '401',
          'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
        ),
        headers,
      );
    }
    const model = deployments[decodeURIComponent(match[1] as string)];
    if (model === undefined) {
      return sendError(
        response,
        azureError(
          404,
          'DeploymentNotFound',
          'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
        ),
        headers,
      );
    }
    const injected = context.failure === undefined ? undefined : azureFailure(context.failure, apiVersion);
    if (injected !== undefined) return sendError(response, injected, headers);
    const speech = validateSpeech(request, model);
    if (isErrorAnswer(speech)) return sendError(response, speech, headers);
    await answer(context, response, speech, headers);
  }, options);
}

function modelOf(body: Buffer): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    const model = typeof parsed === 'object' && parsed !== null ? (parsed as { model?: unknown }).model : undefined;
    return typeof model === 'string' ? model : undefined;
  } catch {
    return undefined;
  }
}

/** 24 kHz audio in the asked format, streamed in chunks; or the SSE events of `stream_format: "sse"`. */
async function answer(context: FakeContext, response: ServerResponse, speech: ValidSpeech, headers: Record<string, string>): Promise<void> {
  const audio = sampleAudio(speech.format);
  if (speech.streamFormat === 'sse') {
    response.writeHead(200, { ...headers, 'content-type': 'text/event-stream' });
    for (let offset = 0; offset < audio.length; offset += context.behaviour.chunkBytes) {
      const chunk = audio.subarray(offset, offset + context.behaviour.chunkBytes);
      response.write(`data: ${JSON.stringify({ type: 'speech.audio.delta', audio: chunk.toString('base64') })}\n\n`);
    }
    const outputTokens = Math.ceil(audio.length / 1000);
    response.end(
      `data: ${JSON.stringify({ type: 'speech.audio.done', usage: { input_tokens: 12, output_tokens: outputTokens, total_tokens: 12 + outputTokens } })}\n\n`,
    );
    return;
  }
  response.writeHead(200, { ...headers, 'content-type': AUDIO_CONTENT_TYPES[speech.format] });
  if (context.failure?.kind === 'drop_mid_stream') return dropMidStream(response, audio);
  await context.writeChunked(response, audio);
  response.end();
}
