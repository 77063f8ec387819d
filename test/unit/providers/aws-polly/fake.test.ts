import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPollyFake } from '../../../fakes/aws-polly/server.js';
import { readSsml } from '../../../fakes/aws-polly/ssml.js';
import type { FakeServer } from '../../../fakes/fake-server.js';

/** The fake must refuse what Polly refuses, or a wrong adapter would pass the contract suite. */
describe('Polly fake', () => {
  let fake: FakeServer;
  beforeAll(async () => {
    fake = await startPollyFake();
  });
  afterAll(() => fake.close());

  const signed = {
    authorization: `AWS4-HMAC-SHA256 Credential=AKIDTEST/20250101/us-east-1/polly/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${'a'.repeat(64)}`,
    'x-amz-date': '20250101T120000Z',
    'content-type': 'application/json',
  };
  const post = (body: unknown, headers: Record<string, string> = signed): Promise<Response> =>
    fetch(`${fake.baseUrl}/v1/speech`, { method: 'POST', headers, body: JSON.stringify(body) });
  const valid = { Engine: 'neural', OutputFormat: 'mp3', SampleRate: '24000', Text: 'Hello', TextType: 'text', VoiceId: 'Joanna' };
  const errorType = async (response: Response): Promise<string | null> => {
    await response.text();
    return response.headers.get('x-amzn-errortype');
  };

  it('answers audio with its content type and billed characters', async () => {
    const response = await post(valid);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
    expect(response.headers.get('x-amzn-requestcharacters')).toBe('5');
    expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });

  it('refuses an unsigned request or one signed for another service', async () => {
    const { authorization: _authorization, ...unsigned } = signed;
    let response = await post(valid, unsigned);
    expect(response.status).toBe(403);
    expect(await errorType(response)).toBe('MissingAuthenticationTokenException');
    response = await post(valid, { ...signed, authorization: signed.authorization.replace('/polly/', '/s3/') });
    expect(response.status).toBe(403);
    expect(await errorType(response)).toBe('IncompleteSignatureException');
    response = await post(valid, { ...signed, authorization: 'Bearer token' });
    expect(response.status).toBe(403);
  });

  it.each([
    [{ ...valid, SampleRate: 24000 }, 'ValidationException'],
    [{ ...valid, OutputFormat: 'pcm', SampleRate: '24000' }, 'InvalidSampleRateException'],
    [{ ...valid, OutputFormat: 'ogg_opus', SampleRate: '24000' }, 'InvalidSampleRateException'],
    [{ ...valid, OutputFormat: 'wav' }, 'ValidationException'],
    [{ ...valid, VoiceId: 'Nobody' }, 'ValidationException'],
    [{ ...valid, Engine: 'long-form' }, 'EngineNotSupportedException'],
    [{ ...valid, VoiceId: 'Kevin', Engine: undefined }, 'EngineNotSupportedException'],
    [{ ...valid, Text: 'x'.repeat(3001) }, 'TextLengthExceededException'],
    [{ ...valid, TextType: 'ssml', Text: `<speak>${'x'.repeat(3001)}</speak>` }, 'TextLengthExceededException'],
    [{ ...valid, TextType: 'ssml', Text: 'Tom & Jerry' }, 'InvalidSsmlException'],
    [{ ...valid, TextType: 'ssml', Text: '<speak>Tom & Jerry</speak>' }, 'InvalidSsmlException'],
    [{ ...valid, TextType: 'ssml', Text: '<speak><prosody rate="300%">Hi</prosody></speak>' }, 'InvalidSsmlException'],
    [{ ...valid, Text: undefined }, 'ValidationException'],
  ])('refuses %j with %s', async (body, code) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(await errorType(response)).toBe(code);
  });

  it('does not bill SSML tags: 3,000 characters of text fit inside a prosody tag', async () => {
    const response = await post({ ...valid, TextType: 'ssml', Text: `<speak><prosody rate="120%">${'x'.repeat(3000)}</prosody></speak>` });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amzn-requestcharacters')).toBe('3000');
    await response.arrayBuffer();
  });

  it('renders throttling as Polly does: HTTP 400 ThrottlingException', async () => {
    fake.inject({ kind: 'rate_limited' });
    const response = await post(valid);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: 'Rate exceeded' });
    expect(response.headers.get('x-amzn-errortype')).toMatch(/^ThrottlingException(:|$)/);
  });

  it('reads SSML back to its text', () => {
    expect(readSsml('<speak><prosody rate="85%">a &amp; &lt;b&gt; &#65;</prosody></speak>')).toEqual({
      ok: true,
      billedCharacters: 9,
      rates: ['85%'],
      text: 'a & <b> A',
    });
  });
});
