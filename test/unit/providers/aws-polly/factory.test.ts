import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { awsPollyFactory } from '../../../../src/providers/aws-polly/index.js';
import type { ProviderDependencies } from '../../../../src/providers/registry.js';

const dependencies = {} as ProviderDependencies;
const create = (model: string, params: Record<string, unknown>) =>
  awsPollyFactory.create({ model, params: { model: `aws_polly/${model}`, ...params }, dependencies });

describe('aws_polly factory', () => {
  it('builds a deployment from LiteLLM’s fields, or from the SDK’s default chain', () => {
    expect(create('neural', { aws_region_name: 'us-east-1', aws_access_key_id: 'AKID', aws_secret_access_key: 'secret', aws_session_token: 'token' }).id).toBe(
      'aws_polly',
    );
    expect(create('long-form', {}).id).toBe('aws_polly');
    expect(create('generative', { api_base: 'http://127.0.0.1:9000', language_code: 'en-US', lexicon_names: ['a'] }).capabilities().maxInputCharacters).toBe(
      3000,
    );
  });

  it('refuses a model that names no engine', () => {
    expect(() => create('Joanna', {})).toThrow(/names no Polly engine/);
  });

  it('refuses half a key pair, a session token alone, and a malformed region', () => {
    expect(() => create('neural', { aws_access_key_id: 'AKID' })).toThrow(ZodError);
    expect(() => create('neural', { aws_session_token: 'token' })).toThrow(ZodError);
    expect(() => create('neural', { aws_region_name: 'Frankfurt' })).toThrow(ZodError);
  });

  it('refuses LiteLLM fields it would otherwise ignore', () => {
    expect(() => create('neural', { aws_role_name: 'arn:aws:iam::1:role/x' })).toThrow(/default chain/);
    expect(() => create('neural', { aws_profile_name: 'dev' })).toThrow(/default chain/);
    expect(() => create('neural', { sample_rate: '8000' })).toThrow(/chosen by the gateway/);
  });
});
