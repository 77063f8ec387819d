import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

/** A caller's id is kept when it is safe to echo; otherwise one is made. */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestId(): RequestHandler {
  return (request, response, next) => {
    const incoming = request.get('x-request-id');
    const id = incoming !== undefined && ACCEPTABLE_ID.test(incoming) ? incoming : `req_${randomUUID().replaceAll('-', '')}`;
    response.locals['requestId'] = id;
    response.setHeader('x-request-id', id);
    next();
  };
}

export function requestIdOf(locals: Record<string, unknown>): string {
  const id = locals['requestId'];
  return typeof id === 'string' ? id : 'unknown';
}
