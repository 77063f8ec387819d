import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { dropMidStream, startFakeServer, type FakeContext, type FakeServer, type FakeServerOptions, type InjectedFailure } from '../fake-server.js';
import { sampleAudio } from '../sample-audio.js';
import { AZURE_OUTPUT_FORMATS, renderingOf } from './output-formats.js';
import { readSsml } from './ssml.js';

/**
 * Azure AI Speech's REST synthesis (`POST /cognitiveservices/v1`) as the real service
 * behaves: a subscription key or a Bearer token, `Content-Type: application/ssml+xml`
 * (else 415), a known `X-Microsoft-OutputFormat` and a `User-Agent` (else 400), well-formed
 * SSML (else 400); audio in the requested format, streamed; bare-status errors with empty
 * or text bodies.
 */
export function startAzureSpeechFake(options?: FakeServerOptions): Promise<FakeServer> {
  return startFakeServer(handle, options);
}

const SYNTHESIS_PATH = '/cognitiveservices/v1';
/** Azure's limit on the User-Agent header. */
const MAX_USER_AGENT = 255;

async function handle(context: FakeContext, response: ServerResponse): Promise<void> {
  const { request } = context;
  const requestId = randomUUID().replaceAll('-', '');
  const fail = (status: number, body = '', headers: Record<string, string> = {}): void => {
    response.writeHead(status, { 'x-requestid': requestId, ...(body === '' ? {} : { 'content-type': 'text/plain; charset=utf-8' }), ...headers });
    response.end(body);
  };
  if (request.method !== 'POST' || request.path !== SYNTHESIS_PATH) return fail(404);
  const key = request.headers['ocp-apim-subscription-key'];
  const bearer = /^Bearer\s+\S+$/.exec(request.headers['authorization'] ?? '');
  if ((key === undefined || key.trim() === '') && bearer === null) return fail(401);
  if (context.failure !== undefined && renderFailure(context.failure, fail)) return;

  const mediaType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/ssml+xml') return fail(415);
  const userAgent = request.headers['user-agent'] ?? '';
  if (userAgent.trim() === '' || userAgent.length >= MAX_USER_AGENT) return fail(400);
  const outputFormat = request.headers['x-microsoft-outputformat'];
  if (outputFormat === undefined || !AZURE_OUTPUT_FORMATS.has(outputFormat)) return fail(400);
  try {
    readSsml(request.body.toString('utf8'));
  } catch (error) {
    // Azure's 400 says little; the reason helps whoever debugs an adapter against the fake.
    return fail(400, error instanceof Error ? error.message : String(error));
  }
  const rendering = renderingOf(outputFormat);
  if (rendering === undefined) return fail(501, `the fake does not render ${outputFormat}`);

  const audio = sampleAudio(rendering.format, { sampleRate: rendering.sampleRate });
  response.writeHead(200, { 'content-type': rendering.contentType, 'x-requestid': requestId });
  if (context.failure?.kind === 'drop_mid_stream') return dropMidStream(response, audio);
  await context.writeChunked(response, audio);
  response.end();
}

/** Writes an injected failure the way Azure reports it; false when the kind does not apply here. */
function renderFailure(failure: InjectedFailure, fail: (status: number, body?: string, headers?: Record<string, string>) => void): boolean {
  switch (failure.kind) {
    case 'rate_limited':
      fail(429, '', failure.retryAfterSeconds === undefined ? {} : { 'retry-after': String(failure.retryAfterSeconds) });
      return true;
    case 'quota_exceeded':
      // Free-tier Cognitive Services resources refuse with 403 once the monthly allowance is spent.
      fail(
        403,
        JSON.stringify({
          error: {
            code: '403',
            message:
              'Out of call volume quota for TextToSpeech F0 pricing tier. Please retry after 12 days. To increase your limits, please upgrade to a paid tier.',
          },
        }),
      );
      return true;
    case 'server_error':
      fail(failure.status ?? 500);
      return true;
    case 'unavailable':
      fail(503);
      return true;
    case 'auth':
      fail(401);
      return true;
    case 'bad_request':
      fail(400);
      return true;
    // Azure speech has no content filter; slowness and drops are played out on a normal answer.
    case 'content_rejected':
    case 'slow':
    case 'drop_mid_stream':
      return false;
  }
}
