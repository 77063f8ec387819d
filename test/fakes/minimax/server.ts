import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { readJson, startFakeServer, type FakeContext, type FakeServer, type FakeServerOptions, type InjectedFailure } from '../fake-server.js';
import { sampleAudio } from '../sample-audio.js';
import { FAKE_MINIMAX_VOICES } from './voices.js';

/**
 * MiniMax T2A v2 (`POST /v1/t2a_v2`): Bearer auth (a missing key is refused by the gateway with
 * 401), the JSON body validated as the API does (model enum, text under 10,000 characters,
 * voice_setting ranges, audio_setting enums), business errors as HTTP 200 with a non-zero
 * `base_resp.status_code`, hex audio, and `stream: true` as server-sent events: hex chunks
 * (`data.status` 1), then a summary (`data.status` 2 plus `extra_info`) repeating the whole audio.
 */
const MODELS = [
  'speech-2.8-hd',
  'speech-2.8-turbo',
  'speech-2.6-hd',
  'speech-2.6-turbo',
  'speech-02-hd',
  'speech-02-turbo',
  'speech-01-hd',
  'speech-01-turbo',
] as const;

const requestSchema = z.looseObject({
  model: z.enum(MODELS),
  text: z.string().min(1).max(9999),
  stream: z.boolean().optional(),
  output_format: z.enum(['hex', 'url']).optional(),
  voice_setting: z.looseObject({
    voice_id: z.string().min(1),
    speed: z.number().min(0.5).max(2).optional(),
    vol: z.number().gt(0).max(10).optional(),
    pitch: z.number().int().min(-12).max(12).optional(),
    emotion: z.enum(['happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised', 'calm', 'fluent', 'whisper']).optional(),
  }),
  audio_setting: z
    .looseObject({
      sample_rate: z.literal([8000, 16000, 22050, 24000, 32000, 44100]).optional(),
      bitrate: z.literal([32000, 64000, 128000, 256000]).optional(),
      format: z.enum(['mp3', 'pcm', 'flac', 'wav']).optional(),
      channel: z.literal([1, 2]).optional(),
    })
    .optional(),
  language_boost: z.string().optional(),
});

export function startMiniMaxFake(options?: FakeServerOptions): Promise<FakeServer> {
  return startFakeServer(handle, options);
}

async function handle(context: FakeContext, response: ServerResponse): Promise<void> {
  const { request, failure } = context;
  if (request.method !== 'POST' || request.path !== '/v1/t2a_v2') {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: 'not found', type: 'not_found_error' } }));
    return;
  }
  if (!/^Bearer \S+$/.test(request.headers['authorization'] ?? '')) {
    response.writeHead(401, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(baseResponse(traceId(), 1004, "login fail: Please carry the API secret key in the 'Authorization' field of the request header")),
    );
    return;
  }
  const trace = traceId();
  if (!(request.headers['content-type'] ?? '').startsWith('application/json'))
    return sendBusinessError(response, trace, 2013, 'invalid params, content type must be application/json');
  const parsed = requestSchema.safeParse(readJson(request));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return sendBusinessError(response, trace, 2013, `invalid params, ${issue?.path.join('.') ?? 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  const body = parsed.data;
  const format = body.audio_setting?.format ?? 'mp3';
  if (body.stream === true && (format === 'wav' || body.output_format === 'url')) {
    return sendBusinessError(response, trace, 2013, 'invalid params, wav and url output are not available when streaming');
  }
  if (!FAKE_MINIMAX_VOICES.has(body.voice_setting.voice_id)) return sendBusinessError(response, trace, 2054, 'voice id not exist');
  if (failure !== undefined && failure.kind !== 'slow' && failure.kind !== 'drop_mid_stream')
    return sendFailure(response, trace, failure, body.stream === true);

  const sampleRate = body.audio_setting?.sample_rate ?? 32000;
  const audio = sampleAudio(format, { sampleRate });
  const extraInfo = {
    audio_length: 1000,
    audio_sample_rate: sampleRate,
    audio_size: audio.length,
    bitrate: body.audio_setting?.bitrate ?? 128000,
    word_count: body.text.split(/\s+/).filter((word) => word !== '').length,
    invisible_character_ratio: 0,
    usage_characters: body.text.length,
    audio_format: format,
    audio_channel: body.audio_setting?.channel ?? 1,
  };
  if (body.stream !== true) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ data: { audio: audio.toString('hex'), status: 2, ced: '' }, extra_info: extraInfo, ...baseResponse(trace, 0, 'success') }));
    return;
  }
  await streamEvents(context, response, audio, trace, extraInfo);
}

async function streamEvents(context: FakeContext, response: ServerResponse, audio: Buffer, trace: string, extraInfo: object): Promise<void> {
  const { behaviour, failure } = context;
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < audio.length; offset += behaviour.chunkBytes) chunks.push(audio.subarray(offset, offset + behaviour.chunkBytes));
  const cutAfter = failure?.kind === 'drop_mid_stream' ? Math.max(1, Math.floor(chunks.length / 3)) : Number.POSITIVE_INFINITY;
  for (const [index, chunk] of chunks.entries()) {
    if (response.destroyed) return;
    if (index === cutAfter) {
      response.destroy();
      return;
    }
    await writeEvent(response, { data: { audio: chunk.toString('hex'), status: 1, ced: '' }, ...baseResponse(trace, 0, '') });
    if (behaviour.chunkDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, behaviour.chunkDelayMs));
  }
  await writeEvent(response, { data: { audio: audio.toString('hex'), status: 2, ced: '' }, extra_info: extraInfo, ...baseResponse(trace, 0, 'success') });
  response.end();
}

async function writeEvent(response: ServerResponse, payload: object): Promise<void> {
  if (!response.write(`data: ${JSON.stringify(payload)}\n\n`)) await new Promise((resolve) => response.once('drain', resolve));
}

function sendFailure(response: ServerResponse, trace: string, failure: InjectedFailure, streaming: boolean): void {
  switch (failure.kind) {
    case 'rate_limited':
      return sendBusinessError(response, trace, 1002, 'rate limit exceeded(RPM)');
    case 'quota_exceeded':
      return sendBusinessError(response, trace, 1008, 'insufficient balance');
    case 'unavailable':
      return sendBusinessError(response, trace, 1000, 'unknown error');
    case 'auth':
      return sendBusinessError(response, trace, 2049, 'invalid api key');
    case 'bad_request':
      return sendBusinessError(response, trace, 2013, 'invalid params, text is empty after normalization');
    case 'server_error':
      response.writeHead(failure.status ?? 500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'internal server error', type: 'server_error' } }));
      return;
    case 'content_rejected':
      // The output check runs while audio is produced: when streaming it arrives as the first event.
      if (!streaming) return sendBusinessError(response, trace, 1026, 'input new_sensitive');
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(`data: ${JSON.stringify(baseResponse(trace, 1027, 'output new_sensitive'))}\n\n`);
      return;
    case 'slow':
    case 'drop_mid_stream':
      return;
  }
}

function sendBusinessError(response: ServerResponse, trace: string, code: number, message: string): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(baseResponse(trace, code, message)));
}

function baseResponse(trace: string, code: number, message: string): { trace_id: string; base_resp: { status_code: number; status_msg: string } } {
  return { trace_id: trace, base_resp: { status_code: code, status_msg: message } };
}

function traceId(): string {
  return randomBytes(16).toString('hex');
}
