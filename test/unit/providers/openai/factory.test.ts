import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { openaiFactory } from '../../../../src/providers/openai/index.js';
import { startUpstreamStub } from '../../../helpers/upstream-stub.js';
import { dependenciesWith, speechRequest } from './test-dependencies.js';

describe('openaiFactory', () => {
  it('requires api_key (no fallback to OPENAI_API_KEY)', () => {
    expect(() => openaiFactory.create({ model: 'tts-1', params: { model: 'openai/tts-1' }, dependencies: dependenciesWith() })).toThrow(ZodError);
    expect(() => openaiFactory.create({ model: 'tts-1', params: { model: 'openai/tts-1', api_key: '' }, dependencies: dependenciesWith() })).toThrow(ZodError);
  });

  it('rejects an api_base that is not a URL', () => {
    expect(() =>
      openaiFactory.create({ model: 'tts-1', params: { model: 'openai/tts-1', api_key: 'sk', api_base: 'not a url' }, dependencies: dependenciesWith() }),
    ).toThrow(ZodError);
  });

  it('calls api.openai.com by default with the key, organization and project from litellm_params', async () => {
    const upstream = await startUpstreamStub();
    upstream.answer((_request, response) => {
      response.writeHead(200, { 'content-type': 'audio/pcm', 'x-request-id': 'req_9' }).end(Buffer.from([1, 2, 3]));
    });
    const provider = openaiFactory.create({
      model: 'tts-1-hd',
      params: { model: 'tts-1-hd', api_key: 'sk-live', organization: 'org-9', project: 'proj_9', rpm: 10 },
      dependencies: dependenciesWith(upstream.dispatcher),
    });
    const signal = new AbortController().signal;
    const result = await provider.synthesize(speechRequest({ format: 'pcm', signal }));
    const chunks: Uint8Array[] = [];
    for await (const chunk of result.audio) chunks.push(chunk);
    await upstream.close();
    const seen = upstream.dispatches.map(({ url, signal, headers, body }) => ({ url, init: { signal, headers, body } }));
    expect(Buffer.concat(chunks)).toEqual(Buffer.from([1, 2, 3]));
    expect(result.encoding).toEqual({ format: 'pcm', sampleRate: 24_000, channels: 1 });
    expect(result.upstreamRequestId).toBe('req_9');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('https://api.openai.com/v1/audio/speech');
    expect(seen[0]?.init?.signal).toBe(signal);
    expect(seen[0]?.init?.headers).toMatchObject({ authorization: 'Bearer sk-live', 'openai-organization': 'org-9', 'openai-project': 'proj_9' });
    expect(JSON.parse(String(seen[0]?.init?.body))).toEqual({ model: 'tts-1-hd', input: 'Hello there.', voice: 'alloy', response_format: 'pcm', speed: 1 });
  });

  it('describes the model it was built for', () => {
    const create = (model: string) => openaiFactory.create({ model, params: { model, api_key: 'sk' }, dependencies: dependenciesWith() });
    expect(create('tts-1').capabilities().instructions).toBe(false);
    expect(create('gpt-4o-mini-tts').capabilities().instructions).toBe(true);
    expect(create('gpt-4o-mini-tts').capabilities().maxInputCharacters).toBe(4096);
  });
});
