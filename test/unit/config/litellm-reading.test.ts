import { describe, expect, it } from 'vitest';
import { parseLitellmYaml, readConfigDocument } from '../../../src/config/load-config.js';
import { classifyModel } from '../../../src/config/speech-models.js';

describe('YAML read as PyYAML reads it', () => {
  it.each([
    ['tpm: 20_000', 20_000],
    ['tpm: 1_000.5', 1000.5],
    ['flag: yes', true],
    ['flag: Off', false],
    ['flag: n', 'n'],
    ['value: 1e3', '1e3'],
    ['value: 1.0e+3', 1000],
    ['value: 0x1F', 31],
    ['value: 017', 15],
    ['value: 1:30', 90],
    ['value: "020"', '020'],
    ['value: ~', null],
  ])('%s', (line, expected) => {
    const { document } = parseLitellmYaml(`${line}\n`, 'test.yaml');
    expect(Object.values(document as Record<string, unknown>)[0]).toEqual(expected);
  });

  it('keeps the last of a repeated key, as PyYAML does', () => {
    expect(parseLitellmYaml('a: 1\na: 2\n', 'test.yaml').document).toEqual({ a: 2 });
  });
});

describe('which models are speech models', () => {
  it.each([
    ['openai/tts-1', undefined, {}, true],
    ['tts-1-hd', undefined, {}, true],
    ['openai/gpt-4o-mini-tts', undefined, {}, true],
    ['azure/my-tts-deployment', undefined, {}, true],
    ['azure/prod-east', undefined, { base_model: 'gpt-4o-mini-tts' }, true],
    ['azure/speech/azure-tts', undefined, {}, true],
    ['aws_polly/neural', undefined, {}, true],
    ['elevenlabs/eleven_multilingual_v2', undefined, {}, true],
    ['minimax/speech-02-hd', undefined, {}, true],
    ['gemini/gemini-2.5-flash-preview-tts', undefined, {}, true],
    ['vertex_ai/en-US-Chirp3-HD-Charon', undefined, {}, true],
    ['vertex_ai/chirp', undefined, {}, true],
    ['groq/playai-tts', 'audio_speech', {}, true],
    ['gpt-5-mini', undefined, {}, false],
    ['openai/gpt-4o-mini', undefined, {}, false],
    ['minimax/MiniMax-M3', undefined, {}, false],
    ['elevenlabs/scribe_v1', undefined, {}, false],
    ['whisper-1', 'audio_transcription', {}, false],
    ['openai/tts-1', 'chat', {}, false],
    ['azure/chatgpt-v-2', undefined, {}, false],
    ['vertex_ai/gemini-1.5-pro', undefined, {}, false],
    ['anthropic/claude-3-5-sonnet-20240620', undefined, {}, false],
  ])('%s (mode %s) is speech: %s', (model, mode, params, expected) => {
    expect(classifyModel(model, mode, params).speech).toBe(expected);
  });

  it('a group with one chat deployment beside speech ones keeps the speech ones, and says which was left out', () => {
    const { config, warnings } = readConfigDocument(
      {
        model_list: [
          { model_name: 'voice', litellm_params: { model: 'espeak/en-us' } },
          { model_name: 'voice', litellm_params: { model: 'openai/gpt-4o', api_base: '<placeholder>' } },
        ],
      },
      {},
    );
    expect(config.model_list).toHaveLength(1);
    expect(warnings).toContainEqual(expect.stringMatching(/^model_list\.1: deployment\(s\) "openai\/gpt-4o" of model group "voice" are not served/));
  });

  it('an unset variable under a setting without effect does not stop the start; under a speech model it does', () => {
    const { warnings } = readConfigDocument({ general_settings: { database_url: 'os.environ/UNSET_DATABASE_URL' } }, {});
    expect(warnings).toContainEqual(expect.stringMatching(/^general_settings\.database_url: accepted without effect/));
    expect(() =>
      readConfigDocument({ model_list: [{ model_name: 'tts', litellm_params: { model: 'openai/tts-1', api_key: 'os.environ/UNSET_KEY' } }] }, {}),
    ).toThrow(/model_list\.0\.litellm_params\.api_key: environment variable UNSET_KEY is not set/);
  });

  it('names an explicit drop_params: false as without effect, and says nothing of true', () => {
    const named = (value: boolean): string[] =>
      readConfigDocument({ litellm_settings: { drop_params: value } }, {}).warnings.filter((warning) => warning.startsWith('litellm_settings.drop_params'));
    expect(named(false)).toEqual([
      'litellm_settings.drop_params: false has no effect: a parameter a provider cannot take is always dropped with a warning, as with drop_params: true',
    ]);
    expect(named(true)).toEqual([]);
  });

  it("reads LiteLLM's environment_variables section for os.environ/ references", () => {
    const { config } = readConfigDocument(
      {
        environment_variables: { TTS_KEY: 'sk-from-section' },
        model_list: [{ model_name: 'tts', litellm_params: { model: 'openai/tts-1', api_key: 'os.environ/TTS_KEY' } }],
      },
      {},
    );
    expect(config.model_list[0]?.litellm_params.api_key).toBe('sk-from-section');
  });
});
