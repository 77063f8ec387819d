import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';

/**
 * The speech route is served without Express for plain bodies, and by Express for bodies that
 * need decoding (gzip here). Both must answer every request the same way.
 */
let running: RunningGateway;
beforeAll(async () => {
  running = await startGateway({ masterKey: 'sk-master' });
});
afterAll(async () => {
  await running.close();
});

interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly retryAfter: string | undefined;
  readonly hasRequestId: boolean;
  readonly body: string;
}

function post(path: string, body: Buffer | undefined, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, running.baseUrl);
    const outgoing = httpRequest(url, { method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers['content-type'],
          retryAfter: response.headers['retry-after'],
          hasRequestId: typeof response.headers['x-request-id'] === 'string',
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The same request twice: plain (the lean route) and gzip-compressed (Express). */
async function bothWays(path: string, text: string | undefined, headers: Record<string, string>): Promise<[Answer, Answer]> {
  const plain = await post(path, text === undefined ? undefined : Buffer.from(text), headers);
  const compressed = await post(path, gzipSync(Buffer.from(text ?? '')), { ...headers, 'content-encoding': 'gzip' });
  return [plain, compressed];
}

const AUTH = { authorization: 'Bearer sk-master' };
const VALID = JSON.stringify({ model: 'tts-1', voice: 'alloy', input: 'Hello.' });

describe('the lean speech route and Express answer alike', () => {
  const cases: Array<[string, string, Record<string, string>]> = [
    ['invalid JSON', '{"model": ', AUTH],
    ['a JSON string', '"hello"', AUTH],
    ['a JSON array', '[1, 2]', AUTH],
    ['an empty object', '{}', AUTH],
    ['an empty body', '', AUTH],
    ['a missing input', JSON.stringify({ model: 'tts-1', voice: 'alloy' }), AUTH],
    ['an unknown model', JSON.stringify({ model: 'nope', voice: 'alloy', input: 'Hi.' }), AUTH],
    ['a bad speed', JSON.stringify({ model: 'tts-1', voice: 'alloy', input: 'Hi.', speed: 9 }), AUTH],
    ['no key', VALID, {}],
    ['a wrong key', VALID, { authorization: 'Bearer sk-wrong' }],
    ['a malformed Authorization header', VALID, { authorization: 'Basic abc' }],
    ['invalid JSON and no key', '{', {}],
  ];
  it.each(cases)('for %s', async (_name, text, headers) => {
    const [plain, compressed] = await bothWays('/v1/audio/speech', text, { 'content-type': 'application/json', ...headers });
    expect(plain.status).toBeGreaterThanOrEqual(400);
    expect(plain).toEqual(compressed);
    expect(plain.contentType).toBe('application/json; charset=utf-8');
  });

  it('for a body over the size limit, announced or chunked', async () => {
    const large = JSON.stringify({ model: 'tts-1', voice: 'alloy', input: 'a'.repeat(5 * 1024 * 1024) });
    const announced = await post('/v1/audio/speech', Buffer.from(large), { ...AUTH, 'content-type': 'application/json' });
    expect(announced.status).toBe(413);
    expect(JSON.parse(announced.body).error.code).toBe('request_too_large');
    const chunked = await new Promise<Answer>((resolve, reject) => {
      const outgoing = httpRequest(
        new URL('/v1/audio/speech', running.baseUrl),
        { method: 'POST', headers: { ...AUTH, 'transfer-encoding': 'chunked' } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              contentType: response.headers['content-type'],
              retryAfter: undefined,
              hasRequestId: true,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      outgoing.on('error', reject);
      for (let offset = 0; offset < large.length; offset += 256 * 1024) outgoing.write(large.slice(offset, offset + 256 * 1024));
      outgoing.end();
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error.message).toBe('Request body is larger, over the limit of 4.0 MB (general_settings.max_request_size_mb).');
  });

  it('serves audio both ways, on either path, whatever the case of the path', async () => {
    for (const path of ['/v1/audio/speech', '/audio/speech', '/V1/Audio/Speech/']) {
      const [plain, compressed] = await bothWays(path, VALID, { ...AUTH, 'content-type': 'application/json' });
      expect(plain.status).toBe(200);
      expect(compressed.status).toBe(200);
      expect(plain.contentType).toBe('audio/mpeg');
      expect(plain.hasRequestId).toBe(true);
    }
  });

  it('reads a body with a byte-order mark, as body-parser does', async () => {
    const answer = await post('/v1/audio/speech', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(VALID)]), {
      ...AUTH,
      'content-type': 'application/json; charset=utf-8',
    });
    expect(answer.status).toBe(200);
  });

  it('leaves other methods on the path to Express', async () => {
    const response = await fetch(`${running.baseUrl}/v1/audio/speech`, { headers: AUTH });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
  });

  it('logs one rejected line per refused request, with its request id', async () => {
    const before = running.logs.length;
    await post('/v1/audio/speech', Buffer.from('{'), { ...AUTH, 'x-request-id': 'lean-route-check' });
    const lines = running.logs.slice(before).filter((line) => line['requestId'] === 'lean-route-check');
    expect(lines).toEqual([expect.objectContaining({ msg: 'request rejected', status: 400, code: 'invalid_json', path: '/v1/audio/speech' })]);
  });
});
