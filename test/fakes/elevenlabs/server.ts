import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ZodError } from 'zod';
import { dropMidStream, startFakeServer, type FakeContext, type FakeServer, type FakeServerOptions, type InjectedFailure } from '../fake-server.js';
import { sampleAudio } from '../sample-audio.js';
import { ELEVENLABS_OUTPUT_FORMATS, MODEL_CHARACTER_LIMITS, renderingOf, speechBodySchema } from './wire.js';

/**
 * ElevenLabs' `POST /v1/text-to-speech/{voice_id}[/stream]` as the real API behaves: the
 * `xi-api-key` header, the `output_format` enum, a JSON body checked field by field (422
 * `{"detail":[...]}`), per-model text limits and unknown voices (`{"detail":{"status":...}}`);
 * audio in the requested format, chunked on `/stream`.
 */
export function startElevenLabsFake(options?: FakeServerOptions): Promise<FakeServer> {
  return startFakeServer(handle, options);
}

const ROUTE = /^\/v1\/text-to-speech\/([^/]+)(\/stream)?$/;
/** Voice ids are 20 alphanumerics. */
const VOICE_ID = /^[A-Za-z0-9]{20}$/;

type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void;

async function handle(context: FakeContext, response: ServerResponse): Promise<void> {
  const { request } = context;
  const requestId = randomUUID().replaceAll('-', '');
  const reply: Reply = (status, body, headers = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', 'x-trace-id': requestId, ...headers });
    response.end(JSON.stringify(body));
  };
  const route = ROUTE.exec(request.path);
  if (request.method !== 'POST' || route === null) return reply(404, { detail: 'Not Found' });
  const apiKey = request.headers['xi-api-key'];
  if (apiKey === undefined || apiKey.trim() === '') {
    return reply(401, { detail: { status: 'needs_authorization', message: 'Neither authorization header nor xi-api-key received, please provide one.' } });
  }
  if (context.failure !== undefined && renderFailure(context.failure, reply)) return;

  const outputFormat = request.query.get('output_format') ?? 'mp3_44100_128';
  if (!ELEVENLABS_OUTPUT_FORMATS.includes(outputFormat)) {
    return reply(422, {
      detail: [
        {
          type: 'enum',
          loc: ['query', 'output_format'],
          msg: `Input should be ${ELEVENLABS_OUTPUT_FORMATS.map((value) => `'${value}'`).join(', ')}`,
          input: outputFormat,
        },
      ],
    });
  }
  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  let json: unknown;
  try {
    json = mediaType === 'application/json' ? JSON.parse(request.body.toString('utf8')) : undefined;
  } catch {
    return reply(422, { detail: [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error' }] });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return reply(422, {
      detail: [{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from' }],
    });
  }
  const parsed = speechBodySchema.safeParse(json);
  if (!parsed.success) return reply(422, { detail: validationDetail(parsed.error) });
  const body = parsed.data;
  const limit = MODEL_CHARACTER_LIMITS[body.model_id];
  if (limit === undefined) return reply(400, { detail: { status: 'model_not_found', message: `A model with model ID ${body.model_id} does not exist.` } });
  if (body.text.length > limit) {
    return reply(400, {
      detail: {
        status: 'max_character_limit_exceeded',
        message: `You are sending ${body.text.length} characters in a single request which is over the maximum limit of ${limit} characters.`,
      },
    });
  }
  const voiceId = safeDecode(route[1] as string);
  if (voiceId === undefined || !VOICE_ID.test(voiceId))
    return reply(404, { detail: { status: 'voice_not_found', message: `A voice with voice_id ${voiceId} was not found.` } });
  const rendering = renderingOf(outputFormat);
  if (rendering === undefined) return reply(501, { detail: { status: 'fake_limitation', message: `the fake does not render ${outputFormat}` } });

  const audio = sampleAudio(rendering.format, { sampleRate: rendering.sampleRate });
  const streaming = route[2] !== undefined;
  response.writeHead(200, {
    'content-type': rendering.contentType,
    'request-id': requestId,
    'character-cost': String(body.text.length),
    ...(streaming ? {} : { 'content-length': String(audio.length) }),
  });
  if (context.failure?.kind === 'drop_mid_stream') return dropMidStream(response, audio);
  if (streaming) await context.writeChunked(response, audio);
  else response.write(audio);
  response.end();
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function validationDetail(error: ZodError): unknown[] {
  return error.issues.map((issue) => ({ type: issue.code, loc: ['body', ...issue.path.map(String)], msg: issue.message }));
}

/** Writes an injected failure in ElevenLabs' shapes; false when the kind does not apply here. */
function renderFailure(failure: InjectedFailure, reply: Reply): boolean {
  switch (failure.kind) {
    case 'rate_limited':
      reply(
        429,
        {
          detail: {
            status: 'too_many_concurrent_requests',
            message: 'Too many concurrent requests. Your current subscription is associated with a maximum of 2 concurrent requests.',
          },
        },
        failure.retryAfterSeconds === undefined ? {} : { 'retry-after': String(failure.retryAfterSeconds) },
      );
      return true;
    case 'quota_exceeded':
      reply(401, {
        detail: {
          status: 'quota_exceeded',
          message: 'This request exceeds your quota of 10000. You have 0 credits remaining, while 31 credits are required for this request.',
        },
      });
      return true;
    case 'server_error':
      reply(failure.status ?? 500, { detail: { status: 'internal_server_error', message: 'An internal server error occurred.' } });
      return true;
    case 'unavailable':
      reply(503, { detail: { status: 'service_unavailable', message: 'The service is temporarily unavailable.' } });
      return true;
    case 'auth':
      reply(401, { detail: { status: 'invalid_api_key', message: 'Invalid API key' } });
      return true;
    case 'bad_request':
      reply(422, { detail: [{ type: 'missing', loc: ['body', 'text'], msg: 'Field required' }] });
      return true;
    // ElevenLabs has no content-refusal answer of its own; slowness and drops play out on a normal answer.
    case 'content_rejected':
    case 'slow':
    case 'drop_mid_stream':
      return false;
  }
}
