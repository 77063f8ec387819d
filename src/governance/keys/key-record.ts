import { z } from 'zod';

/** A virtual key as stored in Redis: everything but the key itself, which is only hashed (`token`). */
export const keyRecordSchema = z.object({
  token: z.string().regex(/^[0-9a-f]{64}$/),
  key_name: z.string(),
  key_alias: z.string().nullable(),
  models: z.array(z.string()),
  max_budget: z.number().nonnegative().nullable(),
  budget_duration: z.string().nullable(),
  rpm_limit: z.number().int().nonnegative().nullable(),
  /** ISO time after which the key is refused; null never expires. */
  expires: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  user_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type KeyRecord = z.infer<typeof keyRecordSchema>;

export function isExpired(record: KeyRecord, now: number): boolean {
  return record.expires !== null && Date.parse(record.expires) <= now;
}
