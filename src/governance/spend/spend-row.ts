import { z } from 'zod';

/**
 * One spend record, in the shape of LiteLLM's `SpendLogs` rows (what `GET /spend/logs`
 * returns), with speech's own figures in `metadata`. `api_key` is the key's hash.
 */
export const spendRowSchema = z.object({
  request_id: z.string(),
  call_type: z.literal('aspeech'),
  api_key: z.string(),
  spend: z.number(),
  total_tokens: z.number(),
  prompt_tokens: z.number(),
  completion_tokens: z.number(),
  startTime: z.string(),
  endTime: z.string(),
  completionStartTime: z.string().nullable(),
  /** The provider-side model (after the prefix); `model_group` is the name clients use. */
  model: z.string(),
  model_id: z.string().nullable(),
  model_group: z.string(),
  custom_llm_provider: z.string().nullable(),
  /** The user that owns the key. */
  user: z.string().nullable(),
  /** OpenAI's `user` field or `x-end-user-id`. */
  end_user: z.string().nullable(),
  status: z.enum(['success', 'failure']),
  characters: z.number().int().nonnegative(),
  /** Served from the speech cache (LiteLLM's SpendLogs `cache_hit`), at no cost; rows written before the cache existed read as false. */
  cache_hit: z.boolean().default(false),
  /** The cache entry served on a hit (LiteLLM's `cache_key`); empty otherwise. */
  cache_key: z.string().default(''),
  metadata: z.object({
    source: z.enum(['sync', 'job']),
    job_id: z.string().nullable(),
    item_index: z.number().int().nullable(),
    outcome: z.enum(['success', 'error', 'cancelled']),
    error_code: z.string().nullable(),
    attempts: z.number().int().nonnegative(),
    latency_ms: z.number().nonnegative(),
    first_byte_ms: z.number().nonnegative().nullable(),
    audio_bytes: z.number().int().nonnegative(),
  }),
});
export type SpendRow = z.infer<typeof spendRowSchema>;
