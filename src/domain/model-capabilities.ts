import { RESPONSE_FORMATS, type ResponseFormat } from '../audio/formats.js';
import { OPENAI_VOICES } from '../providers/openai/openai-voices.js';
import type { Deployment } from './catalog.js';

/** What a model group can be asked for: the answer of `GET /v1/models/{model}/capabilities`, and the command line's `voices`. */
export interface ModelCapabilities {
  readonly id: string;
  readonly object: 'model.capabilities';
  readonly providers: readonly string[];
  readonly response_formats: readonly ResponseFormat[];
  /** OpenAI's voice names, mapped on every provider; a provider-native voice id passes through too. */
  readonly voices: readonly string[];
  readonly instructions: boolean;
  readonly streaming: boolean;
  readonly speed: { readonly min: number; readonly max: number } | null;
  readonly max_input_characters: number;
}

/**
 * A group takes instructions when one of its deployments does; every format works everywhere
 * (the gateway transcodes).
 */
export function describeModelGroup(name: string, group: readonly Deployment[]): ModelCapabilities {
  const capabilities = group.map((deployment) => deployment.adapter.capabilities());
  const speeds = capabilities.map((capability) => capability.speed).filter((speed) => speed !== undefined);
  return {
    id: name,
    object: 'model.capabilities',
    providers: [...new Set(group.map((deployment) => deployment.provider))],
    response_formats: RESPONSE_FORMATS,
    voices: OPENAI_VOICES,
    instructions: capabilities.some((capability) => capability.instructions),
    streaming: capabilities.some((capability) => capability.streaming),
    // Outside this range the request still succeeds, with a warning header.
    speed: speeds.length === 0 ? null : { min: Math.min(...speeds.map((speed) => speed.min)), max: Math.max(...speeds.map((speed) => speed.max)) },
    max_input_characters: Math.max(...group.map((deployment) => deployment.maxInputCharacters)),
  };
}
