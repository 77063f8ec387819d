import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { miniMaxFactory } from '../../../../src/providers/minimax/index.js';
import { remoteProviderDependencies } from '../../../helpers/provider-dependencies.js';

const dependencies = remoteProviderDependencies();
const create = (params: Record<string, unknown>) =>
  miniMaxFactory.create({ model: 'speech-02-hd', params: { model: 'minimax/speech-02-hd', ...params }, dependencies });

describe('minimax factory', () => {
  it('builds a deployment from LiteLLM’s fields', () => {
    expect(create({ api_key: 'key' }).id).toBe('minimax');
    expect(create({ api_key: 'key', api_base: 'https://api-uw.minimax.io', vol: 2, pitch: -2, language_boost: 'English' }).id).toBe('minimax');
  });

  it('requires the key (LiteLLM’s MINIMAX_API_KEY fallback is spelled os.environ/MINIMAX_API_KEY here)', () => {
    expect(() => create({})).toThrow(/os.environ\/MINIMAX_API_KEY/);
    expect(() => create({ api_key: '' })).toThrow(ZodError);
  });

  it('refuses out-of-range voice settings and audio settings the gateway chooses', () => {
    expect(() => create({ api_key: 'key', vol: 0 })).toThrow(ZodError);
    expect(() => create({ api_key: 'key', pitch: 13 })).toThrow(ZodError);
    expect(() => create({ api_key: 'key', sample_rate: 16000 })).toThrow(/chosen by the gateway/);
    expect(() => create({ api_key: 'key', output_format: 'url' })).toThrow(/chosen by the gateway/);
  });
});
