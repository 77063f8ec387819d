import type { z } from 'zod';
import { invalidRequest } from '../../domain/errors.js';

/** Parses a request body, or throws a 400 naming the first offending field as OpenAI does. */
export function validateBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidRequest('The request body must be a JSON object.', null, 'invalid_body');
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue === undefined || issue.path.length === 0 ? null : issue.path.map(String).join('.');
  const message = issue === undefined ? 'invalid request' : issue.message;
  throw invalidRequest(param === null ? message : `Invalid '${param}': ${message}`, param, 'invalid_value');
}
