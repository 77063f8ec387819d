import { z } from 'zod';
import { ConfigError } from './config-error.js';

/**
 * The process environment, read once at the entry point. Nothing else in the program reads
 * `process.env`; everything receives these values.
 */
const environmentSchema = z.object({
  CONFIG_FILE_PATH: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  HOST: z.string().min(1).optional(),
  MASTER_KEY: z.string().min(1).optional(),
  /** LiteLLM's name for the master key; MASTER_KEY wins when both are set. */
  LITELLM_MASTER_KEY: z.string().min(1).optional(),
  REDIS_URL: z.string().min(1).optional(),
  ROLE: z.enum(['api', 'worker', 'all']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `binary`, `wasm`, or `auto` (the binary when it is on the PATH). */
  ESPEAK_ENGINE: z.enum(['auto', 'binary', 'wasm']).default('auto'),
  ESPEAK_NG_PATH: z.string().min(1).optional(),
  FFMPEG_PATH: z.string().min(1).optional(),
  PATH: z.string().default(''),
});
export type RuntimeEnvironment = z.infer<typeof environmentSchema>;

export function readEnvironment(environment: Readonly<Record<string, string | undefined>>): RuntimeEnvironment {
  // Empty variables count as unset, as a shell user expects.
  const present = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `environment ${issue.path.join('.')}: ${issue.message}`));
  }
  return parsed.data;
}
