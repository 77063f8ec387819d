import { createHash } from 'node:crypto';
import type { ResponseFormat } from '../audio/formats.js';
import type { Deployment } from '../domain/catalog.js';

/** What a request asks of one deployment, after guardrails. */
export interface CacheKeyRequest {
  readonly input: string;
  readonly voice: string;
  readonly format: ResponseFormat;
  readonly speed: number;
  readonly instructions: string | undefined;
}

/**
 * `litellm_params` that cannot change the audio: credentials, where the call goes, routing
 * and pricing. Everything else a deployment carries (a language code, a Polly engine, a
 * Vertex project's voice settings) is a provider option and part of the key.
 */
const NOT_AUDIO = new Set([
  'model',
  'api_key',
  'api_base',
  'api_version',
  'rpm',
  'tpm',
  'weight',
  'timeout',
  'stream_timeout',
  'input_cost_per_character',
  'max_input_characters',
  'cooldown_time',
  'organization',
  'project',
]);
const SECRET = /key|secret|token|password|credential/i;

/**
 * The cache key of a request on one deployment: everything that can change the audio, and
 * nothing else. The model group's name is not in it, so two groups that reach the same
 * provider model with the same settings share entries. Input is normalised only where the
 * audio cannot differ: trailing whitespace and Windows line ends. Azure OpenAI's model is a
 * deployment name chosen per resource, so there the resource (api_base) is part of the key.
 */
export function cacheKeyOf(deployment: Deployment, request: CacheKeyRequest, namespace: string | undefined): string {
  const options = Object.fromEntries(
    Object.entries(deployment.params)
      .filter(([name, value]) => !NOT_AUDIO.has(name) && !SECRET.test(name) && value !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0)),
  );
  const identity = {
    provider: deployment.provider,
    model: deployment.model,
    ...(deployment.provider === 'azure' ? { resource: deployment.params.api_base ?? null } : {}),
    options,
    voice: request.voice,
    format: request.format,
    speed: request.speed,
    instructions: request.instructions ?? null,
    input: normaliseInput(request.input),
  };
  const hash = createHash('sha256').update(JSON.stringify(identity)).digest('hex');
  return namespace === undefined ? hash : `${namespace}:${hash}`;
}

function normaliseInput(input: string): string {
  return input.replace(/\r\n/g, '\n').trimEnd();
}

/** The storage key of an entry's audio: a digest, since namespaces may hold any character. */
export function cacheObjectKey(prefix: string, cacheKey: string): string {
  const digest = createHash('sha256').update(cacheKey).digest('hex');
  return `${prefix}/${digest.slice(0, 2)}/${digest}.audio`;
}
