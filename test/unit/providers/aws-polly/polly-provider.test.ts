import { Readable } from 'node:stream';
import type { SynthesizeSpeechCommandInput, SynthesizeSpeechCommandOutput } from '@aws-sdk/client-polly';
import { describe, expect, it } from 'vitest';
import type { PollySend } from '../../../../src/providers/aws-polly/polly-client.js';
import { createPollyProvider } from '../../../../src/providers/aws-polly/polly-provider.js';
import { ProviderError } from '../../../../src/providers/spec/errors.js';
import type { SpeechRequest } from '../../../../src/providers/spec/types.js';
import { collectAudio as collect } from '../../../helpers/provider-dependencies.js';

function speech(signal: AbortSignal = new AbortController().signal): SpeechRequest {
  return { input: 'Hello', voice: 'nova', format: 'pcm', speed: 1, signal };
}

/** A `send` that records its input and answers with `stream`, as the SDK does on Node. */
function answering(stream: Readable, contentType = 'audio/pcm'): { send: PollySend; inputs: SynthesizeSpeechCommandInput[] } {
  const inputs: SynthesizeSpeechCommandInput[] = [];
  const send: PollySend = async (input) => {
    inputs.push(input);
    return {
      AudioStream: stream,
      ContentType: contentType,
      RequestCharacters: 5,
      $metadata: { httpStatusCode: 200, requestId: 'req-42' },
    } as unknown as SynthesizeSpeechCommandOutput;
  };
  return { send, inputs };
}

describe('Polly provider', () => {
  it('streams the AudioStream as it comes and states the encoding it asked for', async () => {
    const { send, inputs } = answering(Readable.from([Buffer.from([1, 2]), Buffer.from([3])]));
    const provider = createPollyProvider({ settings: { engine: 'neural' }, send });
    const result = await provider.synthesize(speech());
    expect(inputs[0]).toMatchObject({ OutputFormat: 'pcm', SampleRate: '16000', VoiceId: 'Ivy', Engine: 'neural' });
    expect(result.encoding).toEqual({ format: 'pcm', sampleRate: 16_000, channels: 1 });
    expect(result.upstreamRequestId).toBe('req-42');
    expect([...(await collect(result.audio))]).toEqual([1, 2, 3]);
  });

  it('refuses audio of another type than asked for', async () => {
    const stream = Readable.from([Buffer.from('{}')]);
    const provider = createPollyProvider({ settings: { engine: 'neural' }, send: answering(stream, 'application/x-json-stream').send });
    await expect(provider.synthesize(speech())).rejects.toMatchObject({ kind: 'unavailable', upstreamRequestId: 'req-42' });
    expect(stream.destroyed).toBe(true);
  });

  it('reports a connection lost mid-stream as unavailable', async () => {
    const stream = new Readable({ read() {} });
    const provider = createPollyProvider({ settings: { engine: 'neural' }, send: answering(stream).send });
    const result = await provider.synthesize(speech());
    stream.push(Buffer.from([1]));
    setTimeout(() => stream.destroy(new Error('socket hang up')), 10);
    const error = await collect(result.audio).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'unavailable' });
  });

  it('stops a stalled stream when the caller aborts', async () => {
    const stream = new Readable({ read() {} });
    const controller = new AbortController();
    const provider = createPollyProvider({ settings: { engine: 'neural' }, send: answering(stream).send });
    const result = await provider.synthesize(speech(controller.signal));
    const reading = collect(result.audio).catch((thrown: unknown) => thrown);
    setTimeout(() => controller.abort(), 10);
    await reading;
    expect(stream.destroyed).toBe(true);
  });

  it('passes the request signal to the SDK call', async () => {
    let seen: AbortSignal | undefined;
    const send: PollySend = async (_input, signal) => {
      seen = signal;
      throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    };
    const controller = new AbortController();
    controller.abort(new DOMException('late', 'TimeoutError'));
    const provider = createPollyProvider({ settings: { engine: 'neural' }, send });
    await expect(provider.synthesize(speech(controller.signal))).rejects.toMatchObject({ kind: 'timeout' });
    expect(seen).toBe(controller.signal);
  });

  it('is truthful about what it can do', () => {
    const provider = createPollyProvider({ settings: { engine: 'standard' }, send: answering(Readable.from([])).send });
    expect(provider.capabilities()).toEqual({
      maxInputCharacters: 3000,
      speed: { min: 0.2, max: 2 },
      instructions: false,
      streaming: true,
    });
  });
});
