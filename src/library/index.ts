/**
 * tts-gateway as a library: the server's own router and `synthesize`, in this process, and
 * clients for a running server. Importing this module starts nothing: no server, no Redis
 * connection, no child process until a call needs one.
 */
export { speech, type SpeechOptions } from './speech.js';
export { createRouter, type RouterOptions, type RouterRuntimeOptions, type RouterSpeechOptions, type SpeechRouter } from './router.js';
export { loadConfig, type ConfigDocument, type GatewayConfig } from './config.js';
export { SpeechResponse, type SpeechDeployment } from './speech-response.js';
export type { SpeechRequestOptions } from './synthesis-call.js';
export type { RuntimeOptions } from './runtime.js';
export {
  createJobsClient,
  type DownloadedFile,
  type Job,
  type JobItem,
  type JobItemInput,
  type JobStatus,
  type JobsClient,
  type SubmitJobOptions,
  type WaitOptions,
} from './jobs-client.js';
export { createSpeechClient, type RemoteSpeechOptions, type SpeechClient } from './speech-client.js';
export type { GatewayClientOptions } from './http-client.js';
export { verifyWebhook, WebhookVerificationError, type WebhookEvent, type WebhookHeaders } from './webhooks.js';
export {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConfigError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestTooLargeError,
  TimeoutError,
  type TtsGatewayError,
  UpstreamError,
} from './errors.js';
export { ProviderError, type ProviderErrorKind } from '../providers/spec/errors.js';
export type { ModelCapabilities } from '../domain/model-capabilities.js';
export type { AttemptRecord } from '../router/attempts.js';
export { RESPONSE_FORMATS, type ResponseFormat } from '../audio/formats.js';
