import type { z } from 'zod';

/**
 * Reads a provider's JSON body with a schema of the fields we use. Anything else (not JSON,
 * another shape) is `undefined`: the caller falls back to the HTTP status, so an unexpected
 * error page never turns into a crash.
 */
export function parseJsonBody<Schema extends z.ZodType>(schema: Schema, text: string): z.infer<Schema> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
