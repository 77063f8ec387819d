import { generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { RecordedRequest } from '../fake-server.js';

/** The audience google-auth-library (and Google's token endpoint) require in a JWT-bearer grant. */
const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

export interface ServiceAccountKey {
  readonly privateKey: string;
  readonly publicKey: string;
}

/** A fresh RSA key pair, PEM encoded as in a Google key file (PKCS#8 private key). */
export function generateServiceAccountKey(): ServiceAccountKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKey, publicKey };
}

export interface TokenIssuer {
  /** `POST /token`: checks the JWT-bearer grant as Google does and issues an access token. */
  handle(request: RecordedRequest, response: ServerResponse): void;
  isIssued(token: string): boolean;
  readonly issued: ReadonlySet<string>;
}

/**
 * Google's OAuth token endpoint for one service account: the grant must be
 * `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer` with an RS256 JWT signed by the
 * account's key, issued by its email, for Google's token audience, asking for a scope, not
 * expired and living at most an hour. Errors are OAuth's `{"error","error_description"}`.
 */
export function createTokenIssuer(options: { readonly clientEmail: string; readonly publicKey: string; readonly now?: () => number }): TokenIssuer {
  const issued = new Set<string>();
  const now = options.now ?? Date.now;
  const refuse = (response: ServerResponse, error: string, description: string): void => {
    response.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify({ error, error_description: description }));
  };
  return {
    issued,
    isIssued: (token) => issued.has(token),
    handle(request, response) {
      if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        refuse(response, 'invalid_request', 'Invalid content type; expected application/x-www-form-urlencoded');
        return;
      }
      const form = new URLSearchParams(request.body.toString('utf8'));
      if (form.get('grant_type') !== JWT_BEARER) {
        refuse(response, 'unsupported_grant_type', `Invalid grant_type: ${form.get('grant_type') ?? ''}`);
        return;
      }
      const problem = checkAssertion(form.get('assertion') ?? '', options.clientEmail, options.publicKey, Math.floor(now() / 1000));
      if (problem !== undefined) {
        refuse(response, 'invalid_grant', problem);
        return;
      }
      const token = `ya29.fake-${randomBytes(24).toString('base64url')}`;
      issued.add(token);
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify({ access_token: token, expires_in: 3599, token_type: 'Bearer' }));
    },
  };
}

function checkAssertion(assertion: string, clientEmail: string, publicKey: string, nowSeconds: number): string | undefined {
  const parts = assertion.split('.');
  if (parts.length !== 3) return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.';
  const [encodedHeader = '', encodedPayload = '', signature = ''] = parts;
  const header = decodeJson(encodedHeader);
  const payload = decodeJson(encodedPayload);
  if (header === undefined || payload === undefined) return 'Invalid JWT: the header or payload is not base64url JSON';
  if (header['alg'] !== 'RS256') return `Invalid JWT: unsupported alg ${String(header['alg'])}`;
  const signed = verify('RSA-SHA256', Buffer.from(`${encodedHeader}.${encodedPayload}`), publicKey, Buffer.from(signature, 'base64url'));
  if (!signed) return 'Invalid JWT Signature.';
  if (payload['iss'] !== clientEmail) return 'Invalid JWT: the issuer is not this service account';
  if (payload['aud'] !== GOOGLE_TOKEN_AUDIENCE) return `Invalid JWT: Failed audience check. The right audience is ${GOOGLE_TOKEN_AUDIENCE}`;
  const scope = payload['scope'];
  if (typeof scope !== 'string' || !scope.split(' ').includes(CLOUD_PLATFORM_SCOPE)) return 'Invalid JWT: no cloud-platform scope requested';
  const iat = payload['iat'];
  const exp = payload['exp'];
  if (typeof iat !== 'number' || typeof exp !== 'number') return 'Invalid JWT: iat and exp are required';
  if (exp <= nowSeconds || iat > nowSeconds + 60 || exp - iat > 3600) {
    return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';
  }
  return undefined;
}

function decodeJson(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
