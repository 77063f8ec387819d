import { networkFailure } from '../shared/http-call.js';
import { ProviderError } from '../spec/errors.js';

/**
 * The JSON body of a successful Google answer. A connection lost mid-body becomes the same
 * `ProviderError` as a failed fetch; a body that is not JSON is an upstream fault.
 */
export async function readJsonBody(response: Response, provider: string, signal: AbortSignal): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw networkFailure(provider, error, signal);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProviderError({
      kind: 'unavailable',
      provider,
      status: response.status,
      message: 'the provider answered with a body that is not JSON',
      cause: error,
    });
  }
}
