import { parseModelString } from './model-string.js';

/**
 * LiteLLM reads a provider's usual environment variables when a deployment leaves the
 * credential or endpoint out (litellm/llms/<provider>, `get_secret_str("OPENAI_API_KEY")` ...).
 * The first variable set wins, in the order listed.
 */
const DEFAULTS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  openai: { api_key: ['OPENAI_API_KEY'], api_base: ['OPENAI_BASE_URL', 'OPENAI_API_BASE'], organization: ['OPENAI_ORGANIZATION'] },
  azure: { api_key: ['AZURE_API_KEY', 'AZURE_OPENAI_API_KEY'], api_base: ['AZURE_API_BASE', 'AZURE_OPENAI_ENDPOINT'], api_version: ['AZURE_API_VERSION'] },
  azure_speech: { api_key: ['AZURE_TTS_API_KEY', 'AZURE_API_KEY'], api_base: ['AZURE_TTS_API_BASE', 'AZURE_API_BASE'] },
  aws_polly: { aws_region_name: ['AWS_REGION_NAME', 'AWS_REGION', 'AWS_DEFAULT_REGION'] },
  vertex_ai: { vertex_project: ['VERTEXAI_PROJECT'], vertex_location: ['VERTEXAI_LOCATION'], vertex_credentials: ['VERTEXAI_CREDENTIALS'] },
  gemini: { api_key: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] },
  elevenlabs: { api_key: ['ELEVENLABS_API_KEY'], api_base: ['ELEVENLABS_API_BASE'] },
  minimax: { api_key: ['MINIMAX_API_KEY'], api_base: ['MINIMAX_API_BASE'] },
};

/** Aliases a deployment may use instead of the field LiteLLM's default fills. */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  api_key: ['azure_ad_token'],
  vertex_project: ['vertex_ai_project'],
  vertex_location: ['vertex_ai_location'],
  vertex_credentials: ['vertex_ai_credentials'],
  aws_region_name: [],
};

/** The deployment's `litellm_params` with every field it left out filled from the provider's variables. */
export function withProviderEnvironment(
  params: Readonly<Record<string, unknown>>,
  environment: Readonly<Record<string, string | undefined>>,
): Record<string, unknown> {
  const model = typeof params['model'] === 'string' ? parseModelString(params['model']) : undefined;
  if (model === undefined || 'error' in model) return { ...params };
  const filled: Record<string, unknown> = { ...params };
  for (const [field, variables] of Object.entries(DEFAULTS[model.provider] ?? {})) {
    const given = [field, ...(ALIASES[field] ?? [])].some((name) => filled[name] !== undefined && filled[name] !== null);
    if (given) continue;
    const value = variables.map((variable) => environment[variable]).find((candidate) => candidate !== undefined && candidate !== '');
    if (value !== undefined) filled[field] = value;
  }
  return filled;
}
