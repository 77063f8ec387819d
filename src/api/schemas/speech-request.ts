import { z } from 'zod';
import { RESPONSE_FORMATS } from '../../audio/formats.js';

/**
 * LiteLLM's per-request cache controls (https://docs.litellm.ai/docs/proxy/caching#dynamic-cache-controls).
 * Unknown controls are refused: a control that silently does nothing would be worse than a 400.
 */
const cacheControlBodySchema = z.strictObject(
  {
    'no-cache': z.boolean({ error: 'must be a boolean' }).optional(),
    'no-store': z.boolean({ error: 'must be a boolean' }).optional(),
    ttl: z.number({ error: 'must be a number of seconds' }).positive('must be positive').optional(),
    's-maxage': z.number({ error: 'must be a number of seconds' }).nonnegative('must not be negative').optional(),
    /** LiteLLM reads this spelling too. */
    's-max-age': z.number({ error: 'must be a number of seconds' }).nonnegative('must not be negative').optional(),
    namespace: z
      .string()
      .regex(/^[\x21-\x7e]{1,128}$/, 'must be 1 to 128 printable ASCII characters without spaces')
      .optional(),
    'use-cache': z.boolean({ error: 'must be a boolean' }).optional(),
  },
  { error: 'must be an object with no-cache, no-store, ttl, s-maxage, namespace or use-cache' },
);

/** OpenAI's `POST /v1/audio/speech` body. Unknown fields are ignored, as LiteLLM does. */
export const speechRequestSchema = z.object({
  model: z.string({ error: 'is required' }).min(1, 'must not be empty'),
  input: z.string({ error: 'is required and must be a string' }).refine((input) => input.trim().length > 0, 'must contain text'),
  /** Optional, as in LiteLLM: without one, the deployment's `litellm_params.voice`, else its provider's default. */
  voice: z
    .union([z.string().min(1), z.object({ id: z.string().min(1) })], { error: 'must be a voice name or { "id": "..." }' })
    .transform((voice) => (typeof voice === 'string' ? voice : voice.id))
    .optional(),
  response_format: z.enum(RESPONSE_FORMATS, { error: `must be one of ${RESPONSE_FORMATS.join(', ')}` }).default('mp3'),
  speed: z.number({ error: 'must be a number' }).min(0.25, 'must be at least 0.25').max(4, 'must be at most 4.0').default(1),
  instructions: z.string().max(4096, 'must be at most 4096 characters').optional(),
  stream_format: z.enum(['audio', 'sse'], { error: 'must be "audio" or "sse"' }).default('audio'),
  user: z.string().max(256).optional(),
  /** LiteLLM's client-side fallbacks: model groups tried in order when `model` cannot serve. */
  fallbacks: z.array(z.string().min(1), { error: 'must be an array of model names' }).max(10, 'may name at most 10 models').optional(),
  /** LiteLLM's per-request cache controls. */
  cache: cacheControlBodySchema.optional(),
});
