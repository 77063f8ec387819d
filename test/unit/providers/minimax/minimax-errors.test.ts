import { describe, expect, it } from 'vitest';
import { kindOfMiniMaxCode, readMiniMaxFailure } from '../../../../src/providers/minimax/minimax-errors.js';

const failure = (status: number, body: string) => ({ status, headers: new Headers(), body });

describe('MiniMax error mapping', () => {
  it.each([
    [1000, 'unavailable'],
    [1001, 'timeout'],
    [1002, 'rate_limited'],
    [1004, 'auth'],
    [1008, 'quota_exceeded'],
    [1026, 'content_rejected'],
    [1027, 'content_rejected'],
    [1028, 'quota_exceeded'],
    [1030, 'quota_exceeded'],
    [1039, 'rate_limited'],
    [1042, 'invalid_request'],
    [2013, 'invalid_request'],
    [2049, 'auth'],
    [2054, 'invalid_request'],
    [9999, 'unavailable'],
  ] as const)('status_code %i is %s', (code, kind) => {
    expect(kindOfMiniMaxCode(code)).toBe(kind);
  });

  it('reads gateway-level errors in either envelope, else leaves the status mapping', () => {
    expect(readMiniMaxFailure(failure(401, JSON.stringify({ base_resp: { status_code: 1004, status_msg: 'login fail' } })))).toEqual({
      kind: 'auth',
      message: 'status_code 1004: login fail',
    });
    expect(readMiniMaxFailure(failure(500, JSON.stringify({ error: { message: 'internal server error', type: 'server_error' } })))).toEqual({
      message: 'internal server error',
    });
    expect(readMiniMaxFailure(failure(502, '<html>Bad Gateway</html>'))).toEqual({});
    expect(readMiniMaxFailure(failure(429, JSON.stringify({ base_resp: { status_code: 0 } })))).toEqual({});
  });
});
