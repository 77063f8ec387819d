import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { dropMidStream, readJson, type FakeContext, type InjectedFailure } from '../fake-server.js';
import { sampleAudio } from '../sample-audio.js';
import { errorInfo, retryInfo, statusNameFor, writeGoogleError, type GoogleDetail } from './google-errors.js';

/** Gemini TTS prebuilt voices, kept apart from the adapter's copy so a wrong list there fails here. */
const FAKE_GEMINI_VOICES = [
  'achernar',
  'achird',
  'algenib',
  'algieba',
  'alnilam',
  'aoede',
  'autonoe',
  'callirrhoe',
  'charon',
  'despina',
  'enceladus',
  'erinome',
  'fenrir',
  'gacrux',
  'iapetus',
  'kore',
  'laomedeia',
  'leda',
  'orus',
  'pulcherrima',
  'puck',
  'rasalgethi',
  'sadachbia',
  'sadaltager',
  'schedar',
  'sulafat',
  'umbriel',
  'vindemiatrix',
  'zephyr',
  'zubenelgenubi',
];

/** `gemini`: the Gemini API (generativelanguage); `vertex`: Vertex AI's publisher model endpoint. */
export type GenerateContentFlavour = 'gemini' | 'vertex';

const GEMINI_AUDIO_MIME_TYPE = 'audio/L16;codec=pcm;rate=24000';

interface Rejection {
  readonly status: string;
  readonly message: string;
  readonly details?: readonly GoogleDetail[];
}

/**
 * Answers `models/{model}:generateContent` for a Gemini TTS model as Google does: validates the
 * body, then one candidate with one inlineData part of 24 kHz little-endian pcm, base64.
 */
export async function answerGenerateContent(context: FakeContext, response: ServerResponse, model: string, flavour: GenerateContentFlavour): Promise<void> {
  const failure = context.failure;
  if (failure !== undefined && failure.kind !== 'slow' && failure.kind !== 'drop_mid_stream') {
    renderFailure(response, failure, flavour, model);
    return;
  }
  const rejection = validate(context, model, flavour);
  if (rejection !== undefined) {
    writeGoogleError(response, rejection.status, rejection.message, rejection.details);
    return;
  }
  const audio = sampleAudio('pcm', { sampleRate: 24_000 });
  const body = Buffer.from(
    JSON.stringify({
      candidates: [
        {
          content: { role: 'model', parts: [{ inlineData: { mimeType: GEMINI_AUDIO_MIME_TYPE, data: audio.toString('base64') } }] },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: usage(audio.length),
      modelVersion: model,
      responseId: randomBytes(12).toString('base64url'),
    }),
  );
  response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
  if (failure?.kind === 'drop_mid_stream') {
    await dropMidStream(response, body);
    return;
  }
  await context.writeChunked(response, body);
  response.end();
}

function usage(audioBytes: number): Record<string, unknown> {
  // About 25 audio tokens per second of 24 kHz 16-bit audio.
  const audioTokens = Math.round((audioBytes / 48_000) * 25);
  return {
    promptTokenCount: 9,
    candidatesTokenCount: audioTokens,
    totalTokenCount: 9 + audioTokens,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: 9 }],
    candidatesTokensDetails: [{ modality: 'AUDIO', tokenCount: audioTokens }],
  };
}

function validate(context: FakeContext, model: string, flavour: GenerateContentFlavour): Rejection | undefined {
  if (!(context.request.headers['content-type'] ?? '').startsWith('application/json')) {
    return { status: 'INVALID_ARGUMENT', message: 'Invalid JSON payload received. Expected a JSON object (Content-Type application/json).' };
  }
  if (!/^gemini-[\w.-]+$/.test(model)) {
    return {
      status: 'NOT_FOUND',
      message: `models/${model} is not found for API version ${flavour === 'gemini' ? 'v1beta' : 'v1'}, or is not supported for generateContent.`,
    };
  }
  const body = readJson(context.request);
  if (typeof body !== 'object' || body === null) return { status: 'INVALID_ARGUMENT', message: 'Invalid JSON payload received.' };
  const { contents, generationConfig } = body as { contents?: unknown; generationConfig?: unknown };
  if (!Array.isArray(contents) || contents.length === 0)
    return { status: 'INVALID_ARGUMENT', message: '* GenerateContentRequest.contents: contents is not specified' };
  for (const content of contents as Array<{ role?: unknown; parts?: unknown }>) {
    // Vertex insists on a role; the Gemini API assumes `user`.
    if (flavour === 'vertex' && content.role !== 'user') return { status: 'INVALID_ARGUMENT', message: 'Please use a valid role: user, model.' };
    if (!Array.isArray(content.parts) || content.parts.length === 0)
      return { status: 'INVALID_ARGUMENT', message: '* GenerateContentRequest.contents[0].parts: contents.parts must not be empty.' };
    if (!(content.parts as Array<{ text?: unknown }>).every((part) => typeof part.text === 'string' && part.text !== '')) {
      return { status: 'INVALID_ARGUMENT', message: 'TTS models accept text-only input: every part needs a non-empty text.' };
    }
  }
  const config = (generationConfig ?? {}) as { responseModalities?: unknown; speechConfig?: unknown; responseMimeType?: unknown };
  const modalities = Array.isArray(config.responseModalities) ? config.responseModalities : ['TEXT'];
  if (!model.includes('tts')) {
    return { status: 'INVALID_ARGUMENT', message: `Multi-modal output is not supported by models/${model}.` };
  }
  if (modalities.length !== 1 || modalities[0] !== 'AUDIO') {
    return {
      status: 'INVALID_ARGUMENT',
      message: `The requested combination of response modalities (${modalities.map(String).join(', ')}) is not supported by the model. models/${model} accepts the following combination of response modalities:\n* AUDIO\n`,
    };
  }
  if (config.responseMimeType !== undefined) {
    return { status: 'INVALID_ARGUMENT', message: `response_mime_type ${String(config.responseMimeType)} is not supported by models/${model}.` };
  }
  const speech = (config.speechConfig ?? {}) as { voiceConfig?: { prebuiltVoiceConfig?: { voiceName?: unknown } }; multiSpeakerVoiceConfig?: unknown };
  if (speech.voiceConfig !== undefined && speech.multiSpeakerVoiceConfig !== undefined) {
    return { status: 'INVALID_ARGUMENT', message: 'speech_config: voice_config and multi_speaker_voice_config are mutually exclusive.' };
  }
  const voiceName = speech.voiceConfig?.prebuiltVoiceConfig?.voiceName;
  if (typeof voiceName !== 'string' || !FAKE_GEMINI_VOICES.includes(voiceName.toLowerCase())) {
    return {
      status: 'INVALID_ARGUMENT',
      message: `Voice name ${String(voiceName)} is not supported. Allowed voice names are: ${FAKE_GEMINI_VOICES.join(', ')}`,
    };
  }
  return undefined;
}

/** Each injected failure as the Gemini API or Vertex AI renders it. */
function renderFailure(response: ServerResponse, failure: InjectedFailure, flavour: GenerateContentFlavour, model: string): void {
  const hint = failure.kind === 'rate_limited' && failure.retryAfterSeconds !== undefined ? [retryInfo(failure.retryAfterSeconds)] : [];
  switch (failure.kind) {
    case 'rate_limited':
      if (flavour === 'gemini') {
        // Google words a per-minute limit as a spent "quota" too; only the quota id says per minute.
        writeGoogleError(
          response,
          'RESOURCE_EXHAUSTED',
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
          [
            quotaFailure('generativelanguage.googleapis.com/generate_content_paid_tier_requests', 'GenerateRequestsPerMinutePerProjectPerModel', model),
            ...hint,
          ],
        );
      } else {
        writeGoogleError(
          response,
          'RESOURCE_EXHAUSTED',
          'Resource exhausted. Please try again later. Please refer to https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details.',
          hint,
        );
      }
      return;
    case 'quota_exceeded':
      if (flavour === 'gemini') {
        // A daily quota, and Google still attaches a RetryInfo: the quota id is what tells.
        writeGoogleError(
          response,
          'RESOURCE_EXHAUSTED',
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
          [
            quotaFailure('generativelanguage.googleapis.com/generate_content_free_tier_requests', 'GenerateRequestsPerDayPerProjectPerModel-FreeTier', model),
            retryInfo(52),
          ],
        );
      } else {
        writeGoogleError(
          response,
          'RESOURCE_EXHAUSTED',
          `Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_day_per_project_per_base_model with base model: ${model}. Please submit a quota increase request. https://cloud.google.com/vertex-ai/docs/generative-ai/quotas-genai.`,
        );
      }
      return;
    case 'server_error': {
      const status = failure.status ?? 500;
      writeGoogleError(
        response,
        statusNameFor(status),
        flavour === 'gemini'
          ? 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting'
          : 'Internal error encountered.',
        [],
        status,
      );
      return;
    }
    case 'unavailable':
      writeGoogleError(
        response,
        'UNAVAILABLE',
        flavour === 'gemini' ? 'The model is overloaded. Please try again later.' : 'The service is currently unavailable.',
      );
      return;
    case 'auth':
      if (flavour === 'gemini') writeGoogleError(response, 'PERMISSION_DENIED', 'Your API key was reported as leaked. Please use another API key.');
      else
        writeGoogleError(
          response,
          'PERMISSION_DENIED',
          `Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/publishers/google/models/${model}' (or it may not exist).`,
          [errorInfo('IAM_PERMISSION_DENIED', { permission: 'aiplatform.endpoints.predict' })],
        );
      return;
    case 'bad_request':
      writeGoogleError(response, 'INVALID_ARGUMENT', 'Request contains an invalid argument.');
      return;
    case 'content_rejected':
      response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      response.end(
        JSON.stringify(
          flavour === 'gemini'
            ? // The Gemini API blocks the prompt itself...
              {
                promptFeedback: { blockReason: 'PROHIBITED_CONTENT' },
                usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 },
                modelVersion: model,
                responseId: randomBytes(12).toString('base64url'),
              }
            : // ...Vertex answers a candidate that stopped for safety, without content.
              {
                candidates: [
                  { finishReason: 'SAFETY', safetyRatings: [{ category: 'HARM_CATEGORY_DANGEROUS_CONTENT', probability: 'HIGH', blocked: true }], index: 0 },
                ],
                usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 },
                modelVersion: model,
                responseId: randomBytes(12).toString('base64url'),
              },
        ),
      );
      return;
    case 'slow':
    case 'drop_mid_stream':
      return;
  }
}

function quotaFailure(quotaMetric: string, quotaId: string, model: string): GoogleDetail {
  return { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric, quotaId, quotaDimensions: { location: 'global', model } }] };
}
