import { RESPONSE_FORMATS, type ResponseFormat } from '../../../src/audio/formats.js';
import type { RecordedRequest } from '../fake-server.js';
import { readJson } from '../fake-server.js';
import { isLegacyModel, MAX_INPUT_CHARACTERS, openAIError, SPEECH_MODELS, SPEECH_VOICES, type FakeErrorAnswer } from './wire.js';

export interface ValidSpeech {
  readonly format: ResponseFormat;
  readonly streamFormat: 'audio' | 'sse';
}

const KNOWN_FIELDS = new Set(['model', 'input', 'voice', 'instructions', 'response_format', 'speed', 'stream_format']);

const invalid = (message: string, param: string | null, code: string | null): FakeErrorAnswer =>
  openAIError(400, { message, type: 'invalid_request_error', param, code });

/**
 * The checks OpenAI's speech endpoint makes on its body (Azure runs the same model service).
 * `model` is the model that will run: the body's for OpenAI, the deployment's for Azure.
 */
export function validateSpeech(request: RecordedRequest, model: string | undefined): ValidSpeech | FakeErrorAnswer {
  if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    return invalid(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      null,
      null,
    );
  }
  const json = readJson(request);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return invalid('We could not parse the JSON body of your request. The OpenAI API expects a JSON object.', null, null);
  }
  const body = json as Record<string, unknown>;
  const unknown = Object.keys(body).find((key) => !KNOWN_FIELDS.has(key));
  if (unknown !== undefined) return invalid(`Unrecognized request argument supplied: ${unknown}`, null, null);

  const bodyModel = body['model'];
  if (bodyModel !== undefined && typeof bodyModel !== 'string') return invalid("Invalid type for 'model': expected a string.", 'model', 'invalid_type');
  const runningModel = model ?? bodyModel;
  if (runningModel === undefined) return invalid('you must provide a model parameter', null, null);
  if (!(SPEECH_MODELS as readonly string[]).includes(runningModel)) {
    return openAIError(404, {
      message: `The model \`${runningModel}\` does not exist or you do not have access to it.`,
      type: 'invalid_request_error',
      param: null,
      code: 'model_not_found',
    });
  }

  const input = body['input'];
  if (input === undefined) return invalid("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  if (typeof input !== 'string') return invalid("Invalid type for 'input': expected a string.", 'input', 'invalid_type');
  if (input.length > MAX_INPUT_CHARACTERS) {
    return invalid(
      `[{'type': 'string_too_long', 'loc': ('body', 'input'), 'msg': 'String should have at most ${MAX_INPUT_CHARACTERS} characters', 'ctx': {'max_length': ${MAX_INPUT_CHARACTERS}}}]`,
      'input',
      'string_above_max_length',
    );
  }

  const voice = body['voice'];
  if (voice === undefined) return invalid("Missing required parameter: 'voice'.", 'voice', 'missing_required_parameter');
  const customVoice = typeof voice === 'object' && voice !== null && typeof (voice as { id?: unknown }).id === 'string';
  if (!customVoice && !(typeof voice === 'string' && (SPEECH_VOICES as readonly string[]).includes(voice))) {
    return invalid(
      `Invalid value: '${typeof voice === 'string' ? voice : JSON.stringify(voice)}'. Supported values are: ${SPEECH_VOICES.map((name) => `'${name}'`).join(', ')}, or a custom voice object { "id": "voice_..." }.`,
      'voice',
      'invalid_value',
    );
  }

  const format = body['response_format'] ?? 'mp3';
  if (typeof format !== 'string' || !(RESPONSE_FORMATS as readonly string[]).includes(format)) {
    return invalid(
      `Invalid value: '${String(format)}'. Supported values are: ${RESPONSE_FORMATS.map((name) => `'${name}'`).join(', ')}.`,
      'response_format',
      'invalid_value',
    );
  }

  const speed = body['speed'] ?? 1;
  if (typeof speed !== 'number') return invalid("Invalid type for 'speed': expected a decimal.", 'speed', 'invalid_type');
  if (speed < 0.25)
    return invalid(`Invalid 'speed': decimal below minimum value. Expected a value >= 0.25, but got ${speed} instead.`, 'speed', 'decimal_below_min_value');
  if (speed > 4)
    return invalid(`Invalid 'speed': decimal above maximum value. Expected a value <= 4, but got ${speed} instead.`, 'speed', 'decimal_above_max_value');

  const instructions = body['instructions'];
  if (instructions !== undefined) {
    if (typeof instructions !== 'string') return invalid("Invalid type for 'instructions': expected a string.", 'instructions', 'invalid_type');
    if (isLegacyModel(runningModel)) return invalid(`Instructions are not supported for ${runningModel}.`, 'instructions', 'unsupported_parameter');
    if (instructions.length > MAX_INPUT_CHARACTERS)
      return invalid(
        `Invalid 'instructions': string too long. Expected a string with maximum length ${MAX_INPUT_CHARACTERS}, but got a string with length ${instructions.length} instead.`,
        'instructions',
        'string_above_max_length',
      );
  }

  const streamFormat = body['stream_format'] ?? 'audio';
  if (streamFormat !== 'audio' && streamFormat !== 'sse') {
    return invalid(`Invalid value: '${String(streamFormat)}'. Supported values are: 'sse' and 'audio'.`, 'stream_format', 'invalid_value');
  }
  if (streamFormat === 'sse' && isLegacyModel(runningModel))
    return invalid(`stream_format 'sse' is not supported for ${runningModel}.`, 'stream_format', 'unsupported_value');

  return { format: format as ResponseFormat, streamFormat };
}

export function isErrorAnswer(value: ValidSpeech | FakeErrorAnswer): value is FakeErrorAnswer {
  return 'status' in value;
}
