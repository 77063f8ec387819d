import { z } from 'zod';
import { RESPONSE_FORMATS } from '../audio/formats.js';

const voiceSchema = z
  .union([z.string().min(1), z.object({ id: z.string().min(1) })], { error: 'must be a voice name or { "id": "..." }' })
  .transform((voice) => (typeof voice === 'string' ? voice : voice.id));
const formatSchema = z.enum(RESPONSE_FORMATS, { error: `must be one of ${RESPONSE_FORMATS.join(', ')}` });
const speedSchema = z.number({ error: 'must be a number' }).min(0.25, 'must be at least 0.25').max(4, 'must be at most 4.0');
const instructionsSchema = z.string().max(4096, 'must be at most 4096 characters');

const itemSchema = z.object({
  input: z.string({ error: 'is required and must be a string' }).refine((input) => input.trim().length > 0, 'must contain text'),
  custom_id: z.string().min(1).max(256).optional(),
  voice: voiceSchema.optional(),
  response_format: formatSchema.optional(),
  speed: speedSchema.optional(),
  instructions: instructionsSchema.optional(),
});

/** `POST /v1/audio/speech/jobs`: defaults for every item, the items, and how to announce the end. */
export const createJobRequestSchema = z
  .object({
    model: z.string({ error: 'is required' }).min(1, 'must not be empty'),
    voice: voiceSchema.optional(),
    response_format: formatSchema.default('mp3'),
    speed: speedSchema.default(1),
    instructions: instructionsSchema.optional(),
    items: z.array(itemSchema, { error: 'is required: a list of { "input": ... }' }).min(1, 'must hold at least one item'),
    webhook: z
      .object({
        url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
        secret: z
          .string()
          .regex(/^whsec_[A-Za-z0-9+/=]{24,}$/, 'must be a Standard Webhooks secret ("whsec_" and base64)')
          .optional(),
      })
      .optional(),
    metadata: z
      .record(z.string().max(64), z.string().max(512))
      .refine((metadata) => Object.keys(metadata).length <= 16, 'holds at most 16 keys')
      .optional(),
    concatenate: z.boolean().default(false),
    user: z.string().max(256).optional(),
  })
  .superRefine((body, context) => {
    body.items.forEach((item, index) => {
      if (item.voice === undefined && body.voice === undefined) {
        context.addIssue({ code: 'custom', path: ['items', index, 'voice'], message: 'is required: set it on the item or as the job default "voice"' });
      }
    });
    const customIds = body.items.map((item) => item.custom_id).filter((id) => id !== undefined);
    if (new Set(customIds).size !== customIds.length) {
      context.addIssue({ code: 'custom', path: ['items'], message: 'custom_id values must be unique within a job' });
    }
  });
export type CreateJobRequest = z.infer<typeof createJobRequestSchema>;
