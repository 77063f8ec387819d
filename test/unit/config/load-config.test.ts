import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { resolveEnvironmentReferences } from '../../../src/config/environment-references.js';
import { parseConfigDocument, readConfigDocument } from '../../../src/config/load-config.js';
import { parseModelString } from '../../../src/providers/registry.js';

describe('os.environ references', () => {
  it('replaces every reference, at any depth, and lists the unset ones with their paths', () => {
    const { value, problems } = resolveEnvironmentReferences(
      { a: 'os.environ/SET', list: [{ key: 'os.environ/UNSET' }, 'plain'], nested: { deep: ' os.environ/SET ' } },
      { SET: 'value' },
    );
    expect(value).toEqual({ a: 'value', list: [{ key: undefined }, 'plain'], nested: { deep: 'value' } });
    expect(problems).toEqual([{ path: 'list.0.key', variable: 'UNSET' }]);
  });
});

describe('config schema', () => {
  it('accepts a LiteLLM proxy config as is, with its other sections', () => {
    const config = parseConfigDocument(
      {
        model_list: [
          {
            model_name: 'tts',
            litellm_params: { model: 'openai/tts-1', api_key: 'os.environ/OPENAI_API_KEY', rpm: 100, vertex_project: 'kept' },
            model_info: { id: 'a', mode: 'audio_speech' },
          },
        ],
        litellm_settings: { drop_params: true },
        router_settings: { routing_strategy: 'least-busy', num_retries: 4, fallbacks: [{ tts: ['backup'] }] },
        general_settings: { master_key: 'sk-1234', database_url: 'ignored' },
      },
      { OPENAI_API_KEY: 'sk-openai' },
    );
    expect(config.model_list[0]?.litellm_params).toMatchObject({ model: 'openai/tts-1', api_key: 'sk-openai', rpm: 100, vertex_project: 'kept' });
    expect(config.router_settings).toMatchObject({ routing_strategy: 'least-busy', num_retries: 4, cooldown_time: 5, allowed_fails: 3 });
    expect(config.general_settings.max_request_size_mb).toBe(4);
  });

  it('lists every problem at once', () => {
    try {
      parseConfigDocument({ model_list: [{ model_name: '', litellm_params: { model: 'x', rpm: 'many' } }], router_settings: { num_retries: -1 } }, {});
      expect.unreachable('the config is invalid');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems.some((problem) => problem.startsWith('model_list.0.model_name:'))).toBe(true);
      expect(problems.some((problem) => problem.startsWith('model_list.0.litellm_params.rpm:'))).toBe(true);
      expect(problems.some((problem) => problem.startsWith('router_settings.num_retries:'))).toBe(true);
    }
  });

  it('starts without a model list, or with an empty one, serving no model and saying so', () => {
    for (const document of [{}, { model_list: [] }]) {
      const { config, warnings } = readConfigDocument(document, {});
      expect(config.model_list).toEqual([]);
      expect(warnings).toContainEqual(expect.stringMatching(/^model_list: no speech model is configured/));
    }
  });
});

describe('LiteLLM model prefixes', () => {
  it.each([
    ['openai/tts-1', 'openai', 'tts-1'],
    ['tts-1-hd', 'openai', 'tts-1-hd'],
    ['azure/my-deployment', 'azure', 'my-deployment'],
    ['azure/speech/azure-tts', 'azure_speech', 'azure-tts'],
    ['aws_polly/neural', 'aws_polly', 'neural'],
    ['vertex_ai/gemini-2.5-flash-preview-tts', 'vertex_ai', 'gemini-2.5-flash-preview-tts'],
    ['gemini/gemini-2.5-pro-preview-tts', 'gemini', 'gemini-2.5-pro-preview-tts'],
    ['elevenlabs/eleven_multilingual_v2', 'elevenlabs', 'eleven_multilingual_v2'],
    ['minimax/speech-02-hd', 'minimax', 'speech-02-hd'],
    ['espeak/en-us', 'espeak', 'en-us'],
  ])('%s is %s model %s', (model, provider, rest) => {
    expect(parseModelString(model)).toEqual({ provider, model: rest });
  });

  it('refuses unknown prefixes and empty models', () => {
    expect(parseModelString('groq/playai-tts')).toHaveProperty('error');
    expect(parseModelString('openai/')).toHaveProperty('error');
  });
});

describe('problems found across the whole config', () => {
  it('lists unknown provider prefixes together with schema problems', () => {
    try {
      parseConfigDocument(
        {
          model_list: [
            { model_name: 'a', litellm_params: { model: 'nosuch/tts' }, model_info: { mode: 'audio_speech' } },
            { model_name: '', litellm_params: { model: 'espeak/en' } },
          ],
        },
        {},
      );
      expect.unreachable('the config is invalid');
    } catch (error) {
      const problems = (error as ConfigError).problems;
      expect(problems).toContainEqual(expect.stringMatching(/^model_list\.0\.litellm_params\.model: "nosuch\/tts" has an unknown provider prefix/));
      expect(problems).toContainEqual(expect.stringMatching(/^model_list\.1\.model_name:/));
    }
  });
});
