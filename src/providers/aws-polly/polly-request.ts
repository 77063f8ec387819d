import type { LanguageCode, SynthesizeSpeechCommandInput, VoiceId } from '@aws-sdk/client-polly';
import type { AudioEncoding } from '../../audio/formats.js';
import type { SpeechRequest } from '../spec/types.js';
import type { SpeechWarning } from '../spec/warnings.js';
import type { PollyEngine } from './polly-engines.js';
import { pollyOutputFor } from './polly-formats.js';
import { isSsml, MAX_PROSODY_RATE, MIN_PROSODY_RATE, withProsodyRate } from './polly-ssml.js';
import { resolvePollyVoice } from './polly-voices.js';

/** SynthesizeSpeech limits: 3,000 billed characters (SSML tags are free) within 6,000 in all. */
export const POLLY_MAX_BILLED_CHARACTERS = 3000;
const POLLY_MAX_TOTAL_CHARACTERS = 6000;

export interface PollySettings {
  readonly engine: PollyEngine;
  /** LiteLLM's `language_code`: only bilingual voices (Aditi, Kajal...) need it. */
  readonly languageCode?: string;
  /** LiteLLM's `lexicon_names`. */
  readonly lexiconNames?: readonly string[];
}

export interface PollyRequest {
  readonly input: SynthesizeSpeechCommandInput;
  /** What Polly will send back for `input`. */
  readonly encoding: AudioEncoding;
  readonly warnings: readonly SpeechWarning[];
}

/**
 * The SynthesizeSpeech call for `request`
 * (https://docs.aws.amazon.com/polly/latest/dg/API_SynthesizeSpeech.html). Voice ids and
 * language codes are cast: the SDK's enums lag the service, and a native voice passes through.
 */
export function toProviderRequest(request: SpeechRequest, settings: PollySettings): PollyRequest {
  const warnings: SpeechWarning[] = [];
  const output = pollyOutputFor(request.format);
  const { text, textType } = speechText(request, warnings);
  if (request.instructions !== undefined && request.instructions.trim() !== '') {
    warnings.push({ type: 'unsupported-setting', setting: 'instructions', details: 'Polly has no style prompt' });
  }
  const input: SynthesizeSpeechCommandInput = {
    Engine: settings.engine,
    OutputFormat: output.outputFormat,
    SampleRate: output.sampleRate,
    Text: text,
    TextType: textType,
    VoiceId: resolvePollyVoice(request.voice, settings.engine) as VoiceId,
    ...(settings.languageCode === undefined ? {} : { LanguageCode: settings.languageCode as LanguageCode }),
    ...(settings.lexiconNames === undefined ? {} : { LexiconNames: [...settings.lexiconNames] }),
  };
  return { input, encoding: output.encoding, warnings };
}

function speechText(request: SpeechRequest, warnings: SpeechWarning[]): { text: string; textType: 'text' | 'ssml' } {
  if (isSsml(request.input)) {
    // The caller's SSML is sent as written; rewriting it to add a rate could change its meaning.
    if (request.speed !== 1) {
      warnings.push({ type: 'unsupported-setting', setting: 'speed', details: 'the input is SSML: set <prosody rate> inside it' });
    }
    return { text: request.input, textType: 'ssml' };
  }
  if (request.speed === 1) return { text: request.input, textType: 'text' };
  const rate = Math.min(MAX_PROSODY_RATE, Math.max(MIN_PROSODY_RATE, request.speed));
  const ssml = withProsodyRate(request.input, rate);
  if (ssml.length > POLLY_MAX_TOTAL_CHARACTERS) {
    // Escaping and the prosody tag count towards the 6,000 characters; the text alone still fits.
    warnings.push({
      type: 'unsupported-setting',
      setting: 'speed',
      details: `the text as SSML would pass Polly's ${POLLY_MAX_TOTAL_CHARACTERS}-character limit`,
    });
    return { text: request.input, textType: 'text' };
  }
  if (rate !== request.speed) warnings.push({ type: 'clamped-setting', setting: 'speed', requested: request.speed, applied: rate });
  return { text: ssml, textType: 'ssml' };
}
