import type { Response } from 'express';
import { ApiError } from '../../../domain/errors.js';
import { principalOf } from '../../middleware/authenticate.js';
import type { Principal } from '../../../domain/principal.js';

/** Key management and everyone's spend are for the master key alone (as in LiteLLM). */
export function requireMaster(response: Response): Principal {
  const principal = principalOf(response);
  if (principal.kind !== 'master') {
    throw new ApiError({
      status: 403,
      type: 'permission_error',
      code: 'master_key_required',
      message: 'Only the master key may do this (general_settings.master_key).',
    });
  }
  return principal;
}
