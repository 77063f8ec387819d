import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAccessTokenSource } from '../../../../src/providers/vertex-ai/vertex-access-token.js';
import { readVertexCredentials } from '../../../../src/providers/vertex-ai/vertex-credentials.js';
import { startVertexFake, type VertexFake } from '../../../fakes/google/server.js';
import { generateServiceAccountKey } from '../../../fakes/google/token-endpoint.js';
import { rejection } from '../google/test-support.js';

let fake: VertexFake;
beforeAll(async () => {
  fake = await startVertexFake();
});
afterEach(() => fake.reset());
afterAll(async () => fake.close());

const source = (account: Record<string, string>, fetch: typeof globalThis.fetch = globalThis.fetch) =>
  createAccessTokenSource({ provider: 'vertex_ai', credentials: readVertexCredentials(account, () => ''), fetch });
const live = (): AbortSignal => new AbortController().signal;

describe('access tokens through google-auth-library', () => {
  it("gets a token with a signed JWT-bearer grant from the key file's token_uri, through the given fetch, and caches it", async () => {
    const fetched: string[] = [];
    const tokens = source(fake.serviceAccount(), async (input, init) => {
      fetched.push(String(input));
      return globalThis.fetch(input, init);
    });
    const first = await tokens.accessToken(live());
    expect(fake.issuedTokens.has(first)).toBe(true);
    expect(fetched).toEqual([fake.tokenUrl]);
    const grant = new URLSearchParams(fake.tokenServer.lastRequest().body.toString('utf8'));
    expect(grant.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const claims = JSON.parse(Buffer.from((grant.get('assertion') ?? '').split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: fake.serviceAccount()['client_email'], scope: 'https://www.googleapis.com/auth/cloud-platform' });
    // Valid for an hour: the second call is served from the library's cache.
    expect(await tokens.accessToken(live())).toBe(first);
    expect(fake.tokenServer.requests).toHaveLength(1);
  });

  it('reads a grant refused by the token endpoint (a key the account does not have) as a non-retryable auth failure', async () => {
    const tokens = source(fake.serviceAccount(generateServiceAccountKey().privateKey));
    const error = await rejection(tokens.accessToken(live()));
    expect(error).toMatchObject({ kind: 'auth', retryable: false });
    expect(error.message).toContain('invalid_grant: Invalid JWT Signature.');
  });

  it('reads a grant refused for the account as a non-retryable auth failure', async () => {
    fake.tokenServer.inject({ kind: 'auth' });
    expect(await rejection(source(fake.serviceAccount()).accessToken(live()))).toMatchObject({ kind: 'auth', retryable: false });
  });

  it('reads an unreachable token endpoint as an auth failure worth another deployment', async () => {
    const closed = await startVertexFake({ key: generateServiceAccountKey() });
    const account = closed.serviceAccount();
    await closed.close();
    const error = await rejection(source(account).accessToken(live()));
    expect(error).toMatchObject({ kind: 'auth', retryable: true });
  }, 20_000);

  it('stops waiting at the deadline with a timeout ProviderError', async () => {
    fake.tokenServer.inject({ kind: 'slow', delayMs: 1500 });
    const error = await rejection(source(fake.serviceAccount()).accessToken(AbortSignal.timeout(100)));
    expect(error.kind).toBe('timeout');
  });

  it("rethrows the caller's own cancellation as is", async () => {
    const controller = new AbortController();
    controller.abort(new Error('client left'));
    await expect(source(fake.serviceAccount()).accessToken(controller.signal)).rejects.toThrow('client left');
  });
});
