export { remoteProviderDependencies as dependenciesWith } from '../../../helpers/provider-dependencies.js';
import type { SpeechRequest } from '../../../../src/providers/spec/types.js';

export function speechRequest(overrides: Partial<SpeechRequest> = {}): SpeechRequest {
  return { input: 'Hello there.', voice: 'alloy', format: 'mp3', speed: 1, signal: new AbortController().signal, ...overrides };
}
