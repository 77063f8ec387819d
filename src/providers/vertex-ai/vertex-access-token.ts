import { gaxios, GoogleAuth, type GoogleAuthOptions, JWT } from 'google-auth-library';
import { networkFailure } from '../shared/http-call.js';
import { ProviderError } from '../spec/errors.js';
import type { ServiceAccount, VertexCredentials } from './vertex-credentials.js';

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** Where google-auth-library sends every service-account JWT grant, whatever the key file says. */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** OAuth access tokens for Google APIs, one deployment's worth. */
export interface AccessTokenSource {
  /**
   * A valid token. google-auth-library caches it and fetches a new one only when it is about
   * to expire, so most calls cost nothing. Rejects with a `ProviderError` of kind `auth`, or
   * with the abort reason (a `timeout` ProviderError for the deadline) when `signal` fires first.
   */
  accessToken(signal: AbortSignal): Promise<string>;
}

export interface AccessTokenSourceOptions {
  readonly provider: string;
  /** Undefined: Application Default Credentials, found by google-auth-library itself. */
  readonly credentials: VertexCredentials | undefined;
  /** Token requests go through the gateway's fetch, like every other upstream call. */
  readonly fetch: typeof globalThis.fetch;
}

export function createAccessTokenSource(options: AccessTokenSourceOptions): AccessTokenSource {
  const fetchToken = tokenFetcher(options);
  return {
    async accessToken(signal) {
      signal.throwIfAborted();
      try {
        const token = await untilAborted(fetchToken(), signal);
        if (token === null || token === undefined || token === '') throw new Error('the credentials produced no access token');
        return token;
      } catch (error) {
        if (signal.aborted) throw networkFailure(options.provider, error, signal);
        throw tokenFailure(options.provider, error);
      }
    },
  };
}

function tokenFetcher(options: AccessTokenSourceOptions): () => Promise<string | null | undefined> {
  const transporterOptions = { fetchImplementation: options.fetch };
  const credentials = options.credentials;
  if (credentials?.kind === 'service_account') {
    const client = serviceAccountClient(credentials.account, transporterOptions);
    return async () => (await client.getAccessToken()).token;
  }
  const auth = new GoogleAuth({
    scopes: [CLOUD_PLATFORM_SCOPE],
    clientOptions: { transporterOptions },
    ...(credentials === undefined ? {} : { credentials: credentials.credential as NonNullable<GoogleAuthOptions['credentials']> }),
  });
  return () => auth.getAccessToken();
}

/**
 * A JWT-bearer client for a service account. google-auth-library (10.x) ignores the key file's
 * `token_uri` and always posts the grant to Google's endpoint, while Python's google-auth (and
 * so LiteLLM) posts it to `token_uri`; the request is redirected to honour the file, which also
 * lets private token endpoints and offline tests work through the library's real flow.
 */
function serviceAccountClient(account: ServiceAccount, transporterOptions: { fetchImplementation: typeof globalThis.fetch }): JWT {
  const client = new JWT({
    email: account.client_email,
    key: account.private_key,
    ...(account.private_key_id === undefined ? {} : { keyId: account.private_key_id }),
    scopes: [CLOUD_PLATFORM_SCOPE],
    transporterOptions,
  });
  const tokenUri = account.token_uri;
  if (tokenUri !== undefined && tokenUri !== GOOGLE_TOKEN_URL) {
    client.transporter.interceptors.request.add({
      resolved: async (request) => (request.url.href === GOOGLE_TOKEN_URL ? { ...request, url: new URL(tokenUri) } : request),
    });
  }
  return client;
}

/** The library's token call takes no signal: stop waiting for it instead (its result is still cached for later). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * A token that cannot be had is an authentication failure of the deployment. It is worth
 * another deployment only when the token endpoint was unreachable or failing (no answer, 429, 5xx);
 * a refused grant (400 invalid_grant, 401) stays refused.
 */
function tokenFailure(provider: string, error: unknown): ProviderError {
  const status = error instanceof gaxios.GaxiosError ? error.response?.status : undefined;
  const transient = error instanceof gaxios.GaxiosError && (status === undefined || status === 429 || status >= 500);
  const reason = error instanceof Error ? error.message : String(error);
  return new ProviderError({ kind: 'auth', provider, retryable: transient, message: `could not get a Google access token: ${reason}`, cause: error });
}
