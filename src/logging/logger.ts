import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * Structured JSON logs. Anything that looks like a credential is redacted wherever it
 * appears in a logged object, so a careless field cannot leak a key.
 */
const REDACTED_PATHS = [
  'authorization',
  'api_key',
  'apiKey',
  'key',
  'master_key',
  'secret',
  'token',
  '*.authorization',
  '*.api_key',
  '*.apiKey',
  '*.key',
  '*.master_key',
  '*.secret',
  '*.token',
  'headers.authorization',
  '*.headers.authorization',
  '*.headers["api-key"]',
  '*.headers["xi-api-key"]',
  'headers["api-key"]',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
];

export function createLogger(level: LoggerOptions['level'], destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: level ?? 'info',
    base: { service: 'tts-gateway' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
