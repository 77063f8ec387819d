import { z } from 'zod';

/**
 * LiteLLM's `guardrails:` list, with the built-in guardrails this gateway runs on input text.
 * See https://docs.litellm.ai/docs/proxy/guardrails/quick_start for the shape.
 */

/**
 * Speech cannot be taken back once spoken, so every supported mode runs before the provider:
 * LiteLLM's `during_call` (parallel to the call) is run as `pre_call` here.
 */
const modeSchema = z
  .union([z.string(), z.array(z.string())])
  .default('pre_call')
  .refine((mode) => (Array.isArray(mode) ? mode : [mode]).every((entry) => entry === 'pre_call' || entry === 'during_call'), {
    message: 'only "pre_call" (or "during_call", run before the call) is supported for speech: audio cannot be checked after it is spoken',
  });

const common = {
  mode: modeSchema,
  /** LiteLLM's default is false (opt-in per request); see docs/governance.md for why ours is true. */
  default_on: z.boolean().default(true),
};

const validRegex = z.string().refine(
  (pattern) => {
    try {
      new RegExp(pattern, 'u');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not a valid regular expression' },
);

const maxLengthParams = z.object({ guardrail: z.literal('max_length'), ...common, max_length: z.number().int().positive() });

const blockedTermsParams = z.object({
  guardrail: z.literal('blocked_terms'),
  ...common,
  blocked_terms: z.array(z.string().min(1)).default([]),
  patterns: z.array(validRegex).default([]),
  case_sensitive: z.boolean().default(false),
  /** `block` refuses the request; `mask` replaces each match with `mask_with`. */
  action: z.enum(['block', 'mask']).default('block'),
  mask_with: z.string().default('***'),
});

const piiEntities = ['email', 'phone', 'credit_card'] as const;
export type PiiEntity = (typeof piiEntities)[number];

const piiMaskParams = z.object({
  guardrail: z.literal('pii_mask'),
  ...common,
  entities: z
    .array(z.enum(piiEntities))
    .min(1)
    .default([...piiEntities]),
  action: z.enum(['mask', 'block']).default('mask'),
});

const httpParams = z.object({
  guardrail: z.literal('http'),
  ...common,
  api_base: z.url(),
  api_key: z.string().optional(),
  headers: z.record(z.string(), z.string()).default({}),
  /** Seconds to wait for the verdict. */
  timeout: z.number().positive().default(5),
  /** On a timeout or a bad answer: true lets the text through, false (the default) refuses it. */
  fail_open: z.boolean().default(false),
});

const BUILT_IN_GUARDRAILS = 'max_length, blocked_terms, pii_mask, http';

/**
 * A guardrail type that is not built in (LiteLLM's `aporia`, `presidio`, `bedrock`, ...) stops the
 * start, naming it: one silently skipped would let through what it was meant to block.
 */
const guardrailParamsSchema = z.discriminatedUnion('guardrail', [maxLengthParams, blockedTermsParams, piiMaskParams, httpParams], {
  error: (issue) => {
    const given = typeof issue.input === 'object' && issue.input !== null ? (issue.input as Record<string, unknown>)['guardrail'] : undefined;
    if (given === undefined) return `is required: one of the built-in guardrails: ${BUILT_IN_GUARDRAILS}`;
    return `${JSON.stringify(given)} is not a built-in guardrail; must be one of the built-in guardrails: ${BUILT_IN_GUARDRAILS}`;
  },
});

const guardrailConfigSchema = z.object({
  guardrail_name: z.string().min(1),
  litellm_params: guardrailParamsSchema,
});
export type GuardrailConfig = z.infer<typeof guardrailConfigSchema>;

export const guardrailsSectionSchema = z.array(guardrailConfigSchema).superRefine((list, context) => {
  const seen = new Set<string>();
  list.forEach((entry, index) => {
    if (seen.has(entry.guardrail_name))
      context.addIssue({ code: 'custom', path: [index, 'guardrail_name'], message: `"${entry.guardrail_name}" is used by another guardrail` });
    seen.add(entry.guardrail_name);
  });
});
