/**
 * Vertex AI's host for a location (https://cloud.google.com/vertex-ai/docs/general/locations):
 * `global` has no regional prefix, the `us`/`eu` multi-regions use `rep` hosts, and any other
 * location is a `{location}-` prefix.
 */
export function vertexHost(location: string): string {
  if (location === 'global') return 'https://aiplatform.googleapis.com';
  if (location === 'us' || location === 'eu') return `https://aiplatform.${location}.rep.googleapis.com`;
  return `https://${location}-aiplatform.googleapis.com`;
}

export interface VertexModelAddress {
  readonly project: string;
  readonly location: string;
  readonly model: string;
  /** `litellm_params.api_base`, when set. */
  readonly apiBase?: string;
}

/**
 * `…/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:generateContent`
 * (the v1 API, as LiteLLM calls it). An api_base replaces the host; one that already names a
 * model resource (`…/models/{model}`) is LiteLLM's custom-proxy form, to which it appends only
 * `:generateContent`.
 */
export function vertexGenerateContentUrl(address: VertexModelAddress): string {
  const base = address.apiBase?.replace(/\/+$/, '');
  if (base !== undefined && /\/models\/[^/]+$/.test(base)) return `${base}:generateContent`;
  const segments = ['v1', 'projects', address.project, 'locations', address.location, 'publishers', 'google', 'models', address.model].map(encodeURIComponent);
  return `${base ?? vertexHost(address.location)}/${segments.join('/')}:generateContent`;
}

const CLOUD_TTS_HOST = 'https://texttospeech.googleapis.com';

/**
 * Cloud Text-to-Speech's `POST /v1/text:synthesize`. An api_base replaces the host; one that
 * already ends in `text:synthesize` is used verbatim, as LiteLLM uses it.
 */
export function cloudTtsSynthesizeUrl(apiBase: string | undefined): string {
  const base = apiBase?.replace(/\/+$/, '');
  if (base?.endsWith('text:synthesize')) return base;
  return `${base ?? CLOUD_TTS_HOST}/v1/text:synthesize`;
}
