import type { z } from 'zod';
import { ProviderError } from '../spec/errors.js';
import { networkFailure, type UpstreamResponse } from './http-call.js';

/**
 * Reads a provider's JSON body with a schema of the fields we use. Anything else (not JSON,
 * another shape) is `undefined`: the caller falls back to the HTTP status, so an unexpected
 * error page never turns into a crash.
 */
export function parseJsonBody<Schema extends z.ZodType>(schema: Schema, text: string): z.infer<Schema> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The JSON body of a successful answer, read whole. A connection lost mid-body becomes the
 * same `ProviderError` as a failed call; a body that is not JSON is an upstream fault.
 */
export async function readJsonAnswer(response: UpstreamResponse, signal: AbortSignal): Promise<unknown> {
  let text = '';
  try {
    for await (const part of response.body.setEncoding('utf8')) text += String(part);
  } catch (error) {
    throw networkFailure(response.provider, error, signal);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProviderError({
      kind: 'unavailable',
      provider: response.provider,
      status: response.status,
      message: 'the provider answered with a body that is not JSON',
      cause: error,
    });
  }
}

/** A successful answer read with the schema of its fields; another shape is an upstream fault (`what` names the method). */
export function parseAnswer<Schema extends z.ZodType>(schema: Schema, json: unknown, provider: string, what: string): z.infer<Schema> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new ProviderError({
    kind: 'unavailable',
    provider,
    status: 200,
    message: `unexpected ${what} response: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
  });
}
