/**
 * The configuration used when none is given: OpenAI's model names served by the local
 * engine, so an unchanged OpenAI client gets speech with no key and no network.
 */
export const DEFAULT_CONFIG_DOCUMENT = {
  model_list: [
    { model_name: 'tts-1', litellm_params: { model: 'espeak/en-us' }, model_info: { id: 'local-tts-1' } },
    { model_name: 'tts-1-hd', litellm_params: { model: 'espeak/en-us' }, model_info: { id: 'local-tts-1-hd' } },
    { model_name: 'gpt-4o-mini-tts', litellm_params: { model: 'espeak/en-us' }, model_info: { id: 'local-gpt-4o-mini-tts' } },
  ],
} as const;
