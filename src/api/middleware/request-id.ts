import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

/** A caller's id is kept when it is safe to echo; otherwise one is made. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The id a request goes by: the caller's `x-request-id` when it is safe to echo, else a new one. */
export function chooseRequestId(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming) ? incoming : `req_${randomUUID().replaceAll('-', '')}`;
}

export function requestId(): RequestHandler {
  return (request, response, next) => {
    const id = chooseRequestId(request.get('x-request-id'));
    response.locals['requestId'] = id;
    response.setHeader('x-request-id', id);
    next();
  };
}

export function requestIdOf(locals: Record<string, unknown>): string {
  const id = locals['requestId'];
  return typeof id === 'string' ? id : 'unknown';
}
