import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { dropMidStream, readJson, startFakeServer, type FakeContext, type FakeServer, type FakeServerOptions, type InjectedFailure } from '../fake-server.js';
import { pollyAudio, POLLY_CONTENT_TYPES, type PollyAudioFormat } from './polly-audio.js';
import { readSsml } from './ssml.js';
import { FAKE_POLLY_VOICES } from './voices.js';

/**
 * Amazon Polly's SynthesizeSpeech (restJson1, `POST /v1/speech`) as the AWS SDK sees it:
 * SigV4 `Authorization` checked for shape (service `polly`), PascalCase JSON body, SampleRate
 * as a string with per-format values, voice/engine compatibility, the 3,000 billed / 6,000
 * total character limits, raw audio streamed back with `x-amzn-RequestCharacters`, and errors
 * as `x-amzn-ErrorType` + `{"message"}` (throttling is HTTP 400, as Polly sends it).
 */
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=[A-Za-z0-9]+\/(\d{8})\/[a-z0-9-]+\/polly\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=[0-9a-f]{64}$/;
const AMZ_DATE = /^(\d{8})T\d{6}Z$/;

const OUTPUT_FORMATS = ['json', 'mp3', 'ogg_opus', 'ogg_vorbis', 'pcm', 'mulaw', 'alaw'] as const;
const ENGINES = ['standard', 'neural', 'long-form', 'generative'] as const;

const SAMPLE_RATES: Readonly<Record<(typeof OUTPUT_FORMATS)[number], readonly string[]>> = {
  mp3: ['8000', '16000', '22050', '24000', '44100', '48000'],
  ogg_vorbis: ['8000', '16000', '22050', '24000', '44100', '48000'],
  ogg_opus: ['48000'],
  pcm: ['8000', '16000'],
  mulaw: ['8000'],
  alaw: ['8000'],
  json: ['8000', '16000', '22050', '24000', '44100', '48000'],
};

const synthesizeSpeechSchema = z.object({
  Engine: z.enum(ENGINES).optional(),
  LanguageCode: z.string().optional(),
  LexiconNames: z.array(z.string()).max(5).optional(),
  OutputFormat: z.enum(OUTPUT_FORMATS),
  SampleRate: z.string().optional(),
  SpeechMarkTypes: z.array(z.enum(['sentence', 'ssml', 'viseme', 'word'])).optional(),
  Text: z.string(),
  TextType: z.enum(['ssml', 'text']).optional(),
  VoiceId: z.string(),
});
type SynthesizeSpeech = z.infer<typeof synthesizeSpeechSchema>;

const MAX_BILLED = 3000;
const MAX_TOTAL = 6000;

export function startPollyFake(options?: FakeServerOptions): Promise<FakeServer> {
  return startFakeServer(handle, options);
}

async function handle(context: FakeContext, response: ServerResponse): Promise<void> {
  const { request, failure } = context;
  if (request.method !== 'POST' || request.path !== '/v1/speech') {
    return sendError(response, 404, 'UnknownOperationException', `no operation at ${request.method} ${request.path}`);
  }
  const authFailure = checkSignature(request.headers);
  if (authFailure !== undefined) return sendError(response, 403, authFailure.code, authFailure.message);
  if (failure !== undefined && failure.kind !== 'slow' && failure.kind !== 'drop_mid_stream') return sendFailure(response, failure);
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
    return sendError(response, 400, 'SerializationException', 'expected an application/json body');
  }
  const parsed = synthesizeSpeechSchema.safeParse(readJson(request));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return sendError(response, 400, 'ValidationException', `1 validation error detected: ${issue?.path.join('.') ?? 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  const rejection = validate(parsed.data);
  if (rejection !== undefined) return sendError(response, 400, rejection.code, rejection.message);
  const input = parsed.data;
  const billed = billedCharacters(input);
  const headers = { 'x-amzn-requestid': randomUUID(), 'x-amzn-requestcharacters': String(billed) };
  if (input.OutputFormat === 'json') {
    const marks = input.Text.split(/\s+/)
      .filter((word) => word !== '')
      .map((word, index) => JSON.stringify({ time: index * 300, type: 'word', start: 0, end: word.length, value: word }))
      .join('\n');
    response.writeHead(200, { ...headers, 'content-type': 'application/x-json-stream' });
    response.end(`${marks}\n`);
    return;
  }
  const engine = input.Engine ?? 'standard';
  const sampleRate = Number(input.SampleRate ?? defaultSampleRate(input.OutputFormat, engine));
  const audio = pollyAudio(input.OutputFormat, sampleRate);
  response.writeHead(200, { ...headers, 'content-type': POLLY_CONTENT_TYPES[input.OutputFormat] });
  if (failure?.kind === 'drop_mid_stream') return dropMidStream(response, audio);
  await context.writeChunked(response, audio);
  response.end();
}

/** Only the shape: AWS verifies the signature, the fake checks the adapter signed for `polly`. */
function checkSignature(headers: Readonly<Record<string, string | undefined>>): { code: string; message: string } | undefined {
  const authorization = headers['authorization'];
  if (authorization === undefined) return { code: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  const signature = AUTHORIZATION.exec(authorization);
  const date = AMZ_DATE.exec(headers['x-amz-date'] ?? '');
  if (signature === null || date === null) {
    return {
      code: 'IncompleteSignatureException',
      message: 'Authorization header requires Credential=.../polly/aws4_request, SignedHeaders and Signature, and an X-Amz-Date header',
    };
  }
  const signed = (signature[2] ?? '').split(';');
  if (signature[1] !== date[1] || !signed.includes('host') || !signed.includes('x-amz-date')) {
    return { code: 'InvalidSignatureException', message: 'The request signature we calculated does not match the signature you provided.' };
  }
  return undefined;
}

function validate(input: SynthesizeSpeech): { code: string; message: string } | undefined {
  const engine = input.Engine ?? 'standard';
  const engines = FAKE_POLLY_VOICES[input.VoiceId];
  if (engines === undefined) {
    return {
      code: 'ValidationException',
      message: `1 validation error detected: Value '${input.VoiceId}' at 'voiceId' failed to satisfy constraint: Member must satisfy enum value set`,
    };
  }
  if (!engines.includes(engine)) return { code: 'EngineNotSupportedException', message: `This voice does not support the selected engine: ${engine}` };
  if (input.SampleRate !== undefined && !SAMPLE_RATES[input.OutputFormat].includes(input.SampleRate)) {
    return { code: 'InvalidSampleRateException', message: `Sample rate ${input.SampleRate} is not valid for ${input.OutputFormat}` };
  }
  if (input.OutputFormat === 'json' && (input.SpeechMarkTypes ?? []).length === 0) {
    return { code: 'ValidationException', message: 'SpeechMarkTypes is required for OutputFormat json' };
  }
  if (input.OutputFormat !== 'json' && (input.SpeechMarkTypes ?? []).length > 0) {
    return { code: 'MarksNotSupportedForFormatException', message: 'Speech marks need OutputFormat json' };
  }
  if (input.TextType === 'ssml') {
    const reading = readSsml(input.Text);
    if (!reading.ok) return { code: 'InvalidSsmlException', message: `Invalid SSML request: ${reading.reason}` };
  }
  if (input.Text.length > MAX_TOTAL || billedCharacters(input) > MAX_BILLED) {
    return { code: 'TextLengthExceededException', message: `Maximum text length has been exceeded: ${MAX_BILLED} billed, ${MAX_TOTAL} total characters` };
  }
  return undefined;
}

function billedCharacters(input: SynthesizeSpeech): number {
  if (input.TextType !== 'ssml') return input.Text.length;
  const reading = readSsml(input.Text);
  return reading.ok ? reading.billedCharacters : input.Text.length;
}

function defaultSampleRate(format: PollyAudioFormat, engine: string): string {
  if (format === 'pcm') return '16000';
  if (format === 'ogg_opus') return '48000';
  if (format === 'mulaw' || format === 'alaw') return '8000';
  return engine === 'standard' ? '22050' : '24000';
}

function sendFailure(response: ServerResponse, failure: InjectedFailure): void {
  switch (failure.kind) {
    case 'rate_limited':
      return sendError(response, 400, 'ThrottlingException', 'Rate exceeded', ':http://internal.amazon.com/coral/com.amazon.coral.availability/');
    case 'quota_exceeded':
      return sendError(response, 402, 'ServiceQuotaExceededException', 'You have exceeded a service quota for your account');
    case 'server_error':
      return sendError(response, failure.status ?? 500, 'ServiceFailureException', 'An unknown condition has caused a service failure.');
    case 'unavailable':
      return sendError(response, 503, 'ServiceUnavailableException', 'Service is unable to handle request.');
    case 'auth':
      return sendError(
        response,
        403,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
        ':http://internal.amazon.com/coral/com.amazon.coral.service/',
      );
    case 'bad_request':
      return sendError(response, 400, 'ValidationException', "1 validation error detected: Value at 'text' failed to satisfy constraint");
    case 'content_rejected':
      // Polly has no content moderation: nothing in its wire format to render this as.
      throw new Error('Polly has no content_rejected failure');
    case 'slow':
    case 'drop_mid_stream':
      return;
  }
}

function sendError(response: ServerResponse, status: number, code: string, message: string, typeSuffix = ''): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), 'x-amzn-errortype': `${code}${typeSuffix}` });
  response.end(JSON.stringify({ message }));
}
