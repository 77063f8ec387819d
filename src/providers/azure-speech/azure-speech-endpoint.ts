/**
 * The synthesis URL from `api_base`, rewritten as LiteLLM does
 * (`AzureAVATextToSpeechConfig.get_complete_url`):
 * - `https://{region}.api.cognitive.microsoft.com` (the resource's "Endpoint" in the portal)
 *   becomes `https://{region}.tts.speech.microsoft.com/cognitiveservices/v1`;
 * - a `*.tts.speech.microsoft.com` base gets `/cognitiveservices/v1` unless it already ends so;
 * - any other base (a custom domain `https://{name}.cognitiveservices.azure.com`, a proxy, a
 *   loopback fake) gets the path appended.
 * https://learn.microsoft.com/azure/ai-services/speech-service/rest-text-to-speech
 */
const COGNITIVE_SERVICES_DOMAIN = 'api.cognitive.microsoft.com';
const TTS_SPEECH_DOMAIN = 'tts.speech.microsoft.com';
const SYNTHESIS_PATH = '/cognitiveservices/v1';

export function synthesisUrl(apiBase: string): string {
  const base = apiBase.replace(/\/+$/, '');
  const hostname = new URL(base).hostname.toLowerCase();
  if (isUnder(hostname, COGNITIVE_SERVICES_DOMAIN)) {
    const region = hostname.slice(0, Math.max(0, hostname.length - COGNITIVE_SERVICES_DOMAIN.length - 1));
    return `https://${region === '' ? '' : `${region}.`}${TTS_SPEECH_DOMAIN}${SYNTHESIS_PATH}`;
  }
  if (isUnder(hostname, TTS_SPEECH_DOMAIN) && base.endsWith(SYNTHESIS_PATH)) return base;
  return `${base}${SYNTHESIS_PATH}`;
}

function isUnder(hostname: string, domain: string): boolean {
  return hostname === domain || hostname.endsWith(`.${domain}`);
}
