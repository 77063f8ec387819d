import type { ResponseFormat } from '../../src/audio/formats.js';
import type { ProviderId } from '../../src/providers/spec/types.js';
import type { FakeServer, InjectedFailure, RecordedRequest } from '../fakes/fake-server.js';

/** What the gateway was asked for, so a case can check the exact upstream request that followed. */
export interface SentSpeech {
  readonly model: string;
  readonly input: string;
  readonly voice: string;
  readonly format: ResponseFormat;
  readonly speed: number;
  readonly instructions?: string;
}

export interface FailureExpectation {
  readonly name: string;
  readonly failure: InjectedFailure;
  /** The status and error code the gateway's client must see. */
  readonly status: number;
  readonly code: string;
  /** The Retry-After (seconds) the gateway must pass on, when the provider gave a hint. */
  readonly retryAfterSeconds?: number;
}

/**
 * One provider adapter in the contract suite (`providers.contract.test.ts`). Each case file
 * in `cases/` exports `contractCase`; the suite runs the same checks over all of them.
 */
export interface ProviderContractCase {
  /** Names the case (and its deployment id); one provider may have several cases. */
  readonly name: string;
  /** The provider id in `x-tts-provider`, when it differs from `name`. */
  readonly providerId?: ProviderId;
  /** The provider's model, as it goes after the prefix in `litellm_params.model`. */
  readonly model: string;
  startFake(): Promise<FakeServer>;
  /** `litellm_params` of a deployment that points at the fake. */
  litellmParams(fake: FakeServer): Record<string, unknown>;
  /** Variables the config's `os.environ/` references read. */
  environment?(fake: FakeServer): Record<string, string>;
  /** A voice to send that the provider accepts natively (passed through unmapped). */
  readonly nativeVoice: string;
  /** Asserts (with `expect`) that `request` is exactly what the provider should have received for `sent`. */
  checkRequest(request: RecordedRequest, sent: SentSpeech): void;
  /** The failures the fake can produce and what the gateway must answer for each. */
  readonly failures: readonly FailureExpectation[];
  /** False for a provider that names neither its calls nor its answers (Cloud TTS); the others' id must reach the client. */
  readonly namesUpstreamCalls?: false;
  /** Stops any background resources the case started besides the fake (token servers...). */
  cleanup?(): Promise<void>;
}
