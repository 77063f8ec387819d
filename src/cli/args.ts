import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError } from '../config/config-error.js';

const argsSchema = z.object({
  config: z.string().min(1).optional(),
  port: z.coerce.number().int().min(0).max(65_535).optional(),
  host: z.string().min(1).optional(),
  role: z.enum(['api', 'worker', 'all']).optional(),
  workers: z.coerce.number().int().min(1).max(256).optional(),
  help: z.boolean().optional(),
});
export type CliArgs = z.infer<typeof argsSchema>;

export const USAGE = `Usage: npm start -- [--config FILE] [--port PORT] [--host HOST] [--role api|worker|all]

  --config FILE   LiteLLM-style config.yaml (or CONFIG_FILE_PATH); without it the local engine serves tts-1, tts-1-hd, gpt-4o-mini-tts
  --port PORT     port to listen on (or PORT; default 4000)
  --host HOST     address to bind (or HOST; default 0.0.0.0 with a master key, 127.0.0.1 without)
  --role ROLE     api, worker or all (or ROLE; default all)
  --workers N     API processes sharing the port (or WEB_CONCURRENCY; default 1)`;

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        role: { type: 'string' },
        workers: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new ConfigError([`command line: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `command line --${issue.path.join('.')}: ${issue.message}`));
  }
  return parsed.data;
}
