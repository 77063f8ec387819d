import type { AudioEncoding, ResponseFormat } from '../../audio/formats.js';
import type { SpeechWarning } from './warnings.js';

// The provider ids are config vocabulary (LiteLLM's model prefixes), so they live with the config.
import type { ProviderId } from '../../config/model-string.js';
export type { ProviderId } from '../../config/model-string.js';

/** A request as an adapter sees it: already validated, already routed to one deployment. */
export interface SpeechRequest {
  readonly input: string;
  /** An OpenAI voice name (mapped by the adapter) or a provider-native voice id (passed through). */
  readonly voice: string;
  /** The format the client wants; the adapter asks for it when the provider can make it. */
  readonly format: ResponseFormat;
  readonly speed: number;
  readonly instructions?: string;
  readonly signal: AbortSignal;
}

/** What one upstream call produced. `audio` is consumed once, as it arrives. */
export interface SpeechResult {
  readonly audio: AsyncIterable<Uint8Array>;
  readonly encoding: AudioEncoding;
  readonly warnings: readonly SpeechWarning[];
  readonly upstreamRequestId?: string;
}

export interface SpeechCapabilities {
  /** The longest input one call accepts, in characters. */
  readonly maxInputCharacters: number;
  readonly speed: { readonly min: number; readonly max: number } | undefined;
  readonly instructions: boolean;
  /** True when audio arrives while it is generated rather than after the whole clip. */
  readonly streaming: boolean;
}

/**
 * One provider deployment. An adapter maps a request to exactly one upstream call and maps
 * the answer back; retries, fallbacks and cooldowns belong to the router.
 */
export interface SpeechProvider {
  readonly id: ProviderId;
  capabilities(): SpeechCapabilities;
  /**
   * Resolves once the upstream accepted the request (status and headers seen); audio then
   * streams through `result.audio`. Rejects with a `ProviderError`.
   */
  synthesize(request: SpeechRequest): Promise<SpeechResult>;
  /**
   * Whether this deployment can speak `voice`: an OpenAI voice name it maps, or a voice id in
   * its own provider's form. The router sends a provider-native voice only to deployments that
   * recognise it, so a fallback never speaks with a voice it was not asked for. Absent means
   * every voice is passed through.
   */
  recognizesVoice?(voice: string): boolean;
}
