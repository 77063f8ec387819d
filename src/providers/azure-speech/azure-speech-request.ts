import type { StreamedSpeechCall } from '../shared/http-speech-provider.js';
import type { SpeechRequest } from '../spec/types.js';
import type { SpeechWarning } from '../spec/warnings.js';
import { synthesisUrl } from './azure-speech-endpoint.js';
import { azureOutputFormat } from './azure-speech-formats.js';
import { buildSsml, isSsmlDocument, prosodyRate, withoutNonXmlCharacters, type SsmlStyle } from './azure-speech-ssml.js';
import { resolveAzureVoice } from './azure-speech-voices.js';

/** How a deployment proves who it is: a resource key, or an Entra ID / STS token. */
export type AzureSpeechCredential = { readonly kind: 'key'; readonly key: string } | { readonly kind: 'token'; readonly token: string };

export interface AzureSpeechSettings {
  readonly apiBase: string;
  readonly credential: AzureSpeechCredential;
  readonly style: SsmlStyle;
  /** Azure requires a `User-Agent` naming the application (under 255 characters). */
  readonly userAgent: string;
}

export interface AzureSpeechCall extends StreamedSpeechCall {
  /** SSML. */
  readonly body: string;
}

/**
 * `<prosody rate>` spans half to twice the voice's normal pace.
 * https://learn.microsoft.com/azure/ai-services/speech-service/speech-synthesis-markup-voice#adjust-prosody
 */
export const AZURE_SPEED_RANGE = { min: 0.5, max: 2 } as const;

export const DEFAULT_USER_AGENT = 'tts-gateway';

/** The one HTTP request a speech request becomes. Pure: no network, no clock. */
export function toProviderRequest(request: SpeechRequest, settings: AzureSpeechSettings): AzureSpeechCall {
  const warnings: SpeechWarning[] = [];
  const output = azureOutputFormat(request.format);
  if (request.instructions !== undefined && request.instructions.trim() !== '') {
    warnings.push({
      type: 'unsupported-setting',
      setting: 'instructions',
      details: "Azure AI Speech takes no style prompt; use the deployment's style/role in litellm_params or send SSML",
    });
  }
  return {
    url: synthesisUrl(settings.apiBase),
    headers: {
      ...credentialHeader(settings.credential),
      'Content-Type': 'application/ssml+xml',
      'X-Microsoft-OutputFormat': output.header,
      'User-Agent': settings.userAgent,
    },
    body: ssmlBody(request, settings.style, warnings),
    encoding: output.encoding,
    warnings,
  };
}

function credentialHeader(credential: AzureSpeechCredential): Record<string, string> {
  return credential.kind === 'key' ? { 'Ocp-Apim-Subscription-Key': credential.key } : { Authorization: `Bearer ${credential.token}` };
}

function ssmlBody(request: SpeechRequest, style: SsmlStyle, warnings: SpeechWarning[]): string {
  if (isSsmlDocument(request.input)) {
    // The client wrote the document: its <voice> and <prosody> elements decide, as in LiteLLM.
    warnings.push({ type: 'unsupported-setting', setting: 'voice', details: 'the input is SSML, so its own <voice> elements choose the voice' });
    if (request.speed !== 1)
      warnings.push({ type: 'unsupported-setting', setting: 'speed', details: 'the input is SSML, so its own <prosody rate> sets the pace' });
    return request.input;
  }
  const speed = Math.min(AZURE_SPEED_RANGE.max, Math.max(AZURE_SPEED_RANGE.min, request.speed));
  if (speed !== request.speed) warnings.push({ type: 'clamped-setting', setting: 'speed', requested: request.speed, applied: speed });
  const { text, removed } = withoutNonXmlCharacters(request.input);
  if (removed > 0) warnings.push({ type: 'other', message: `${removed} control character(s) removed from the input: XML cannot carry them` });
  return buildSsml({ ...style, text, voice: resolveAzureVoice(request.voice), rate: prosodyRate(speed) });
}
