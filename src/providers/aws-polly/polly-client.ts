import { PollyClient, SynthesizeSpeechCommand, type SynthesizeSpeechCommandInput, type SynthesizeSpeechCommandOutput } from '@aws-sdk/client-polly';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** One SynthesizeSpeech call; resolves once the response headers arrived, the audio still streaming. */
export type PollySend = (input: SynthesizeSpeechCommandInput, signal: AbortSignal) => Promise<SynthesizeSpeechCommandOutput>;

export interface PollyConnection {
  /** Else the SDK's chain (AWS_REGION, the shared config file). */
  readonly region?: string;
  /** LiteLLM's `api_base`; the SDK appends `/v1/speech` to it, as LiteLLM does. */
  readonly endpoint?: string;
  /** Else the SDK's default credential chain (environment, shared files, SSO, instance roles). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

export function createPollySend(connection: PollyConnection): PollySend {
  const client = new PollyClient({
    ...(connection.region === undefined ? {} : { region: connection.region }),
    ...(connection.endpoint === undefined ? {} : { endpoint: connection.endpoint }),
    ...(connection.credentials === undefined ? {} : { credentials: { ...connection.credentials } }),
    // The router owns retries and fallbacks; SDK retries would multiply them and hide the cause.
    maxAttempts: 1,
    // HTTP/1.1, so plain endpoints (proxies, the test fake) work as well as AWS's.
    requestHandler: new NodeHttpHandler(),
  });
  return (input, signal) => client.send(new SynthesizeSpeechCommand(input), { abortSignal: signal });
}
