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
  /** `redis://`, `rediss://`, `redis+cluster://a:7000,b:7001` or `redis+sentinel://a:26379,b:26379/mymaster`. */
  REDIS_URL: z.string().min(1).optional(),
  /** LiteLLM's Cluster and Sentinel variables: JSON node lists (or `host:port,host:port`) and the master's name. */
  /** LiteLLM's REDIS_HOST and REDIS_PORT name one server when REDIS_URL does not. */
  REDIS_HOST: z.string().min(1).optional(),
  REDIS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  REDIS_CLUSTER_NODES: z.string().min(1).optional(),
  REDIS_SENTINEL_NODES: z.string().min(1).optional(),
  REDIS_SERVICE_NAME: z.string().min(1).optional(),
  REDIS_USERNAME: z.string().min(1).optional(),
  REDIS_PASSWORD: z.string().min(1).optional(),
  REDIS_SENTINEL_PASSWORD: z.string().min(1).optional(),
  REDIS_SSL: z
    .enum(['true', 'false', 'True', 'False', '1', '0'])
    .transform((value) => value === 'true' || value === 'True' || value === '1')
    .optional(),
  REDIS_SSL_CA_CERTS: z.string().min(1).optional(),
  REDIS_SSL_CERT_REQS: z.enum(['required', 'none']).optional(),
  ROLE: z.enum(['api', 'worker', 'all']).optional(),
  /** API processes sharing the port, as hosting platforms set it. */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
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
