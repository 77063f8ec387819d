import type { ServerResponse } from 'node:http';

/** Google's canonical codes and the HTTP status each travels with (google/rpc/code.proto). */
const HTTP_STATUS: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  INTERNAL: 500,
  UNKNOWN: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

export type GoogleDetail = Record<string, unknown> & { readonly '@type': string };

export const retryInfo = (seconds: number): GoogleDetail => ({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${seconds}s` });
export const errorInfo = (reason: string, metadata: Record<string, string>): GoogleDetail => ({
  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
  reason,
  domain: 'googleapis.com',
  metadata,
});
export const badRequest = (field: string, description: string): GoogleDetail => ({
  '@type': 'type.googleapis.com/google.rpc.BadRequest',
  fieldViolations: [{ field, description }],
});

/** Writes `{"error":{"code","message","status","details"}}` with the code's HTTP status, as Google's front ends do. */
export function writeGoogleError(response: ServerResponse, status: string, message: string, details: readonly GoogleDetail[] = [], httpStatus?: number): void {
  const code = httpStatus ?? HTTP_STATUS[status] ?? 500;
  const body = { error: { code, message, status, ...(details.length === 0 ? {} : { details }) } };
  response.writeHead(code, { 'content-type': 'application/json; charset=UTF-8', vary: 'Origin, X-Origin, Referer' });
  response.end(JSON.stringify(body, null, 2));
}

/** The canonical code a bare 5xx is rendered with. */
export function statusNameFor(httpStatus: number): string {
  if (httpStatus === 503) return 'UNAVAILABLE';
  if (httpStatus === 504) return 'DEADLINE_EXCEEDED';
  if (httpStatus === 500) return 'INTERNAL';
  return 'UNKNOWN';
}
