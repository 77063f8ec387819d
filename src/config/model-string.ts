/** The LiteLLM model prefixes the gateway understands, plus the local engine. */
const PROVIDER_IDS = ['openai', 'azure', 'azure_speech', 'aws_polly', 'vertex_ai', 'gemini', 'elevenlabs', 'minimax', 'espeak'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/**
 * LiteLLM's model prefixes. Order matters: `azure/speech/` is Azure AI Speech while any other
 * `azure/` model is an Azure OpenAI deployment. A bare model name is OpenAI's, as in LiteLLM.
 */
const PREFIXES: ReadonlyArray<readonly [string, ProviderId]> = [
  ['azure/speech/', 'azure_speech'],
  ['azure/', 'azure'],
  ['openai/', 'openai'],
  ['aws_polly/', 'aws_polly'],
  ['vertex_ai/', 'vertex_ai'],
  ['gemini/', 'gemini'],
  ['elevenlabs/', 'elevenlabs'],
  ['minimax/', 'minimax'],
  ['espeak/', 'espeak'],
];

export function parseModelString(model: string): { readonly provider: ProviderId; readonly model: string } | { readonly error: string } {
  for (const [prefix, provider] of PREFIXES) {
    if (model.startsWith(prefix)) {
      const rest = model.slice(prefix.length);
      if (rest === '') return { error: `"${model}" names no model after the "${prefix}" prefix` };
      return { provider, model: rest };
    }
  }
  if (model.includes('/')) {
    const known = PREFIXES.map(([prefix]) => prefix).join(', ');
    return { error: `"${model}" has an unknown provider prefix (known: ${known})` };
  }
  return { provider: 'openai', model };
}
