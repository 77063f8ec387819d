import type { ServerResponse } from 'node:http';
import { dropMidStream, readJson, type FakeContext, type InjectedFailure } from '../fake-server.js';
import { sampleAudio } from '../sample-audio.js';
import { badRequest, errorInfo, retryInfo, statusNameFor, writeGoogleError, type GoogleDetail } from './google-errors.js';

/** `AudioEncoding` in cloud_tts.proto (v1), apart from the unspecified value. */
const ENCODINGS = ['LINEAR16', 'MP3', 'OGG_OPUS', 'MULAW', 'ALAW', 'PCM', 'M4A'];
const MAX_INPUT_BYTES = 5000;

interface Rejection {
  readonly message: string;
  readonly details?: readonly GoogleDetail[];
}

/**
 * `POST /v1/text:synthesize` as Cloud Text-to-Speech answers it: `{"audioContent": base64}` in
 * the requested encoding and rate. LINEAR16 carries a WAV header, PCM does not.
 */
export async function answerSynthesize(context: FakeContext, response: ServerResponse): Promise<void> {
  const failure = context.failure;
  if (failure !== undefined && failure.kind !== 'slow' && failure.kind !== 'drop_mid_stream') {
    renderFailure(response, failure);
    return;
  }
  const body = readJson(context.request);
  const rejection = validate(context, body);
  if (rejection !== undefined) {
    writeGoogleError(response, 'INVALID_ARGUMENT', rejection.message, rejection.details);
    return;
  }
  const { audioConfig } = body as { audioConfig: { audioEncoding: string; sampleRateHertz?: number } };
  const sampleRate = audioConfig.sampleRateHertz ?? 24_000;
  const audio = synthesize(audioConfig.audioEncoding, sampleRate);
  if (audio === undefined) {
    writeGoogleError(response, 'INVALID_ARGUMENT', `fake: ${audioConfig.audioEncoding} is valid but not produced by this fake`);
    return;
  }
  const answer = Buffer.from(JSON.stringify({ audioContent: audio.toString('base64') }));
  response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
  if (failure?.kind === 'drop_mid_stream') {
    await dropMidStream(response, answer);
    return;
  }
  await context.writeChunked(response, answer);
  response.end();
}

function synthesize(encoding: string, sampleRate: number): Buffer | undefined {
  switch (encoding) {
    case 'MP3':
      return sampleAudio('mp3', { sampleRate });
    case 'OGG_OPUS':
      return sampleAudio('opus', { sampleRate });
    case 'LINEAR16':
      return sampleAudio('wav', { sampleRate });
    case 'PCM':
      return sampleAudio('pcm', { sampleRate });
    default:
      return undefined;
  }
}

function validate(context: FakeContext, body: unknown): Rejection | undefined {
  if (!(context.request.headers['content-type'] ?? '').startsWith('application/json'))
    return { message: 'Invalid JSON payload received. Expected Content-Type application/json.' };
  if (typeof body !== 'object' || body === null) return { message: 'Invalid JSON payload received.' };
  const { input, voice, audioConfig } = body as { input?: Record<string, unknown>; voice?: Record<string, unknown>; audioConfig?: Record<string, unknown> };
  const sources = ['text', 'ssml', 'markup', 'multiSpeakerMarkup'].filter((field) => input?.[field] !== undefined);
  if (sources.length !== 1) return { message: 'Either `input.text` or `input.ssml` must be set, and not both.' };
  const source = sources[0] as string;
  const content = input?.[source];
  if (typeof content !== 'string' || content === '') return { message: `input.${source} must be a non-empty string.` };
  if (Buffer.byteLength(content, 'utf8') > MAX_INPUT_BYTES) {
    return {
      message:
        'Either `input.text` or `input.ssml` is longer than the limit of 5000 bytes. This limit is different from quotas. To fix, reduce the byte length of the characters in this request, or consider using the Long Audio API: https://cloud.google.com/text-to-speech/docs/create-audio-text-long-audio-synthesis.',
    };
  }
  if (source === 'ssml' && !/^\s*<speak[\s>]/.test(content)) return { message: 'Invalid SSML: the document must have a <speak> root element.' };
  const languageCode = voice?.['languageCode'];
  if (typeof languageCode !== 'string' || !/^[a-z]{2,3}-[A-Za-z]{2,4}$/.test(languageCode))
    return { message: 'Invalid or missing voice.language_code.', details: [badRequest('voice.language_code', 'required BCP-47 code')] };
  const name = voice?.['name'];
  if (name !== undefined) {
    if (typeof name !== 'string' || !/^[a-z]{2,3}-[A-Za-z]{2,4}-[\w-]+$/.test(name))
      return { message: `Voice '${String(name)}' does not exist. Is it misspelled?` };
    const voiceLanguage = name.split('-').slice(0, 2).join('-');
    if (voiceLanguage.toLowerCase() !== languageCode.toLowerCase()) {
      return {
        message: `Requested language code '${languageCode}' doesn't match the voice '${name}''s language code '${voiceLanguage}'. Either remove the language code or change the voice.`,
      };
    }
  }
  const encoding = audioConfig?.['audioEncoding'];
  if (typeof encoding !== 'string' || !ENCODINGS.includes(encoding)) {
    return {
      message: `Invalid value at 'audio_config.audio_encoding' (type.googleapis.com/google.cloud.texttospeech.v1.AudioEncoding), "${String(encoding)}"`,
      details: [badRequest('audio_config.audio_encoding', `Invalid value "${String(encoding)}"`)],
    };
  }
  // proto3 JSON takes a double as a number or a numeric string (LiteLLM sends "1.5").
  const rate = audioConfig?.['speakingRate'];
  if (rate !== undefined) {
    const value = typeof rate === 'number' ? rate : typeof rate === 'string' && rate.trim() !== '' ? Number(rate) : Number.NaN;
    if (!Number.isFinite(value)) return { message: `Invalid value at 'audio_config.speaking_rate' (TYPE_DOUBLE), ${JSON.stringify(rate)}` };
    if (value !== 0 && (value < 0.25 || value > 2)) return { message: 'audio_config.speaking_rate must be in the range [0.25, 2.0].' };
  }
  const sampleRate = audioConfig?.['sampleRateHertz'];
  if (sampleRate !== undefined && (typeof sampleRate !== 'number' || !Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate > 48_000)) {
    return { message: `Invalid value at 'audio_config.sample_rate_hertz' (TYPE_INT32), ${JSON.stringify(sampleRate)}` };
  }
  return undefined;
}

/** Injected failures as Cloud TTS renders them: quota errors carry ErrorInfo with the quota limit's name. */
function renderFailure(response: ServerResponse, failure: InjectedFailure): void {
  const quota = (limit: string): GoogleDetail =>
    errorInfo('RATE_LIMIT_EXCEEDED', {
      service: 'texttospeech.googleapis.com',
      quota_metric: 'texttospeech.googleapis.com/all_requests',
      quota_limit: limit,
      consumer: 'projects/123456789',
    });
  switch (failure.kind) {
    case 'rate_limited':
      writeGoogleError(
        response,
        'RESOURCE_EXHAUSTED',
        "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service 'texttospeech.googleapis.com' for consumer 'project_number:123456789'.",
        [quota('RequestsPerMinutePerProject'), ...(failure.retryAfterSeconds === undefined ? [] : [retryInfo(failure.retryAfterSeconds)])],
      );
      return;
    case 'quota_exceeded':
      writeGoogleError(
        response,
        'RESOURCE_EXHAUSTED',
        "Quota exceeded for quota metric 'Characters' and limit 'Characters per day' of service 'texttospeech.googleapis.com' for consumer 'project_number:123456789'.",
        [quota('CharactersPerDayPerProject')],
      );
      return;
    case 'server_error': {
      const status = failure.status ?? 500;
      writeGoogleError(response, statusNameFor(status), 'Internal error encountered.', [], status);
      return;
    }
    case 'unavailable':
      writeGoogleError(response, 'UNAVAILABLE', 'The service is currently unavailable.');
      return;
    case 'auth':
      writeGoogleError(
        response,
        'PERMISSION_DENIED',
        'Cloud Text-to-Speech API has not been used in project 123456789 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/texttospeech.googleapis.com/overview?project=123456789 then retry.',
        [errorInfo('SERVICE_DISABLED', { service: 'texttospeech.googleapis.com', consumer: 'projects/123456789' })],
      );
      return;
    case 'bad_request':
      writeGoogleError(response, 'INVALID_ARGUMENT', 'Request contains an invalid argument.');
      return;
    case 'content_rejected':
      // [wording uncertain] what Cloud TTS answers when its Gemini voices refuse a prompt.
      writeGoogleError(response, 'INVALID_ARGUMENT', 'The request was blocked because the input text was flagged as containing sensitive or harmful content.');
      return;
    case 'slow':
    case 'drop_mid_stream':
      return;
  }
}
