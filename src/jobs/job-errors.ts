import { ApiError, notFound } from '../domain/errors.js';

export const jobNotFound = (jobId: string): ApiError => notFound(`No job found with id '${jobId}'.`, 'job_not_found', 'id');

export const idempotencyConflict = (): ApiError =>
  new ApiError({
    status: 409,
    type: 'invalid_request_error',
    code: 'idempotency_key_reused',
    message: 'This Idempotency-Key was already used with a different request body.',
  });

export const jobNotCancellable = (jobId: string, status: string): ApiError =>
  new ApiError({ status: 409, type: 'invalid_request_error', code: 'job_not_cancellable', message: `The job '${jobId}' has already ended (${status}).` });
