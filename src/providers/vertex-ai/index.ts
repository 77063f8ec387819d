import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ProviderFactory } from '../registry.js';
import { createAccessTokenSource } from './vertex-access-token.js';
import { createCloudTtsProvider } from './cloud-tts-provider.js';
import { credentialProject, readVertexCredentials } from './vertex-credentials.js';
import { cloudTtsSynthesizeUrl } from './vertex-endpoints.js';
import { createVertexGeminiProvider } from './vertex-gemini-provider.js';

/** LiteLLM's default when no `vertex_location` is given. */
const DEFAULT_LOCATION = 'us-central1';

/**
 * The `litellm_params` a `vertex_ai/` deployment reads, under LiteLLM's names (and its
 * `vertex_ai_*` aliases). LiteLLM falls back to VERTEXAI_PROJECT / VERTEXAI_LOCATION /
 * VERTEXAI_CREDENTIALS; here they come from the config (`os.environ/…` names them). Without
 * `vertex_credentials`, google-auth-library's Application Default Credentials are used.
 */
const vertexParamsSchema = z.looseObject({
  vertex_project: z.string().min(1).optional(),
  vertex_ai_project: z.string().min(1).optional(),
  // Only a location name: it becomes part of a host name.
  vertex_location: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'must be a location such as "us-central1" or "global"')
    .optional(),
  vertex_ai_location: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'must be a location such as "us-central1" or "global"')
    .optional(),
  vertex_credentials: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
  vertex_ai_credentials: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
  api_base: z.url().optional(),
});

/** LiteLLM sends `speech()` for Gemini TTS models through the Gemini path; everything else is Cloud TTS. */
function isGeminiModel(model: string): boolean {
  return /gemini/i.test(model);
}

export const vertexAiFactory: ProviderFactory = {
  id: 'vertex_ai',
  create({ model, params, dependencies }) {
    const parsed = vertexParamsSchema.parse(params);
    const source = parsed.vertex_credentials ?? parsed.vertex_ai_credentials;
    const credentials = source === undefined ? undefined : readVertexCredentials(source, (path) => readFileSync(path, 'utf8'));
    const project = parsed.vertex_project ?? parsed.vertex_ai_project ?? credentialProject(credentials);
    const tokens = createAccessTokenSource({ provider: 'vertex_ai', credentials, fetch: dependencies.fetch });
    if (isGeminiModel(model)) {
      if (project === undefined) throw new Error('vertex_project is required for Gemini models (or a vertex_credentials file with a project_id)');
      const location = parsed.vertex_location ?? parsed.vertex_ai_location ?? DEFAULT_LOCATION;
      return createVertexGeminiProvider({
        address: { project, location, model, ...(parsed.api_base === undefined ? {} : { apiBase: parsed.api_base }) },
        tokens,
        dispatcher: dependencies.dispatcher,
      });
    }
    return createCloudTtsProvider({
      settings: { url: cloudTtsSynthesizeUrl(parsed.api_base), ...(project === undefined ? {} : { quotaProject: project }) },
      tokens,
      dispatcher: dependencies.dispatcher,
    });
  },
};
