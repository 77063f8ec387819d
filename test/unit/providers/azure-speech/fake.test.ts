import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzureSpeechFake } from '../../../fakes/azure-speech/server.js';
import type { FakeServer } from '../../../fakes/fake-server.js';
import { probeAudio } from '../../../helpers/audio.js';

/** The fake must refuse what Azure refuses, or a wrong adapter would pass the contract suite. */
let fake: FakeServer;
beforeAll(async () => {
  fake = await startAzureSpeechFake();
});
afterAll(() => fake.close());

const SSML =
  "<speak version='1.0' xmlns='http://www.w3.org/2001/10/synthesis' xml:lang='en-US'><voice name='en-US-JennyNeural'><prosody rate='+0%'>Hi there</prosody></voice></speak>";
const HEADERS = {
  'ocp-apim-subscription-key': 'k',
  'content-type': 'application/ssml+xml',
  'x-microsoft-outputformat': 'raw-24khz-16bit-mono-pcm',
  'user-agent': 'tests',
};

const post = (headers: Record<string, string>, body = SSML, path = '/cognitiveservices/v1') =>
  fetch(`${fake.baseUrl}${path}`, { method: 'POST', headers, body });
const without = (name: keyof typeof HEADERS) => Object.fromEntries(Object.entries(HEADERS).filter(([key]) => key !== name));

describe('Azure speech fake', () => {
  it.each([
    ['no key nor token', without('ocp-apim-subscription-key'), SSML, 401],
    ['a Bearer prefix without a token', { ...without('ocp-apim-subscription-key'), authorization: 'Bearer ' }, SSML, 401],
    ['an api-key header (Azure OpenAI style)', { ...without('ocp-apim-subscription-key'), 'api-key': 'k' }, SSML, 401],
    ['JSON content', { ...HEADERS, 'content-type': 'application/json' }, SSML, 415],
    ['no output format', without('x-microsoft-outputformat'), SSML, 400],
    ['an unknown output format', { ...HEADERS, 'x-microsoft-outputformat': 'mp3' }, SSML, 400],
    ['an over-long User-Agent', { ...HEADERS, 'user-agent': 'x'.repeat(300) }, SSML, 400],
    ['unescaped text', HEADERS, SSML.replace('Hi there', 'Tom & Jerry'), 400],
    ['a mismatched tag', HEADERS, SSML.replace('</prosody>', '</voice>'), 400],
    ['plain text', HEADERS, 'Hello', 400],
    ['no xml:lang', HEADERS, SSML.replace(" xml:lang='en-US'", ''), 400],
    ['an undeclared mstts prefix', HEADERS, SSML.replace("<prosody rate='+0%'>Hi there</prosody>", "<mstts:express-as style='sad'>Hi</mstts:express-as>"), 400],
    ['a bad rate', HEADERS, SSML.replace('+0%', 'quick'), 400],
    ['no voice element', HEADERS, "<speak version='1.0' xmlns='http://www.w3.org/2001/10/synthesis' xml:lang='en-US'>Hi</speak>", 400],
    ['a DOCTYPE', HEADERS, `<!DOCTYPE speak [<!ENTITY x "y">]>${SSML}`, 400],
  ])('refuses %s', async (_name, headers, body, status) => {
    const response = await post(headers, body);
    await response.arrayBuffer();
    expect(response.status).toBe(status);
  });

  it('answers 404 off the synthesis path', async () => {
    expect((await post(HEADERS, SSML, '/v1/audio/speech')).status).toBe(404);
  });

  it.each([
    ['raw-24khz-16bit-mono-pcm', 48_000],
    ['raw-16khz-16bit-mono-pcm', 32_000],
  ])('answers %s as one second of headerless pcm at its rate (%i bytes)', async (outputFormat, bytes) => {
    const response = await post({ ...HEADERS, 'x-microsoft-outputformat': outputFormat });
    const audio = Buffer.from(await response.arrayBuffer());
    expect(response.status).toBe(200);
    expect(audio.length).toBe(bytes);
    expect(audio.subarray(0, 4).toString('latin1')).not.toBe('RIFF');
  });

  it.each([
    ['riff-24khz-16bit-mono-pcm', 'pcm_s16le', 24_000],
    ['audio-24khz-96kbitrate-mono-mp3', 'mp3', 24_000],
    ['audio-48khz-192kbitrate-mono-mp3', 'mp3', 48_000],
    ['ogg-24khz-16bit-mono-opus', 'opus', 48_000],
  ])('answers %s as real %s audio', async (outputFormat, codec, sampleRate) => {
    const response = await post({ ...HEADERS, 'x-microsoft-outputformat': outputFormat });
    const probed = await probeAudio(Buffer.from(await response.arrayBuffer()));
    expect(probed.codec).toBe(codec);
    // ffprobe reports Opus at its 48 kHz decoding rate whatever the encoder was fed.
    expect(probed.sampleRate).toBe(sampleRate);
  });
});
