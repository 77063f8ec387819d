import type { ServerResponse } from 'node:http';
import { startFakeServer, type FakeContext, type FakeServer, type FakeServerOptions } from '../fake-server.js';
import { answerSynthesize } from './cloud-tts.js';
import { answerGenerateContent } from './generate-content.js';
import { errorInfo, writeGoogleError } from './google-errors.js';
import { createTokenIssuer, generateServiceAccountKey, type ServiceAccountKey } from './token-endpoint.js';

export const GEMINI_FAKE_API_KEY = 'AIza-fake-gemini-key';

export interface GeminiFakeOptions extends FakeServerOptions {
  readonly apiKey?: string;
}

const GEMINI_PATH = /^\/v1beta\/models\/([^/:]+):generateContent$/;

/**
 * The Gemini API (generativelanguage.googleapis.com): `POST /v1beta/models/{model}:generateContent`
 * with the key in `x-goog-api-key` or `?key=`. A missing key is 403, a wrong one 400 API_KEY_INVALID,
 * as Google answers them.
 */
export function startGeminiFake(options: GeminiFakeOptions = {}): Promise<FakeServer> {
  const apiKey = options.apiKey ?? GEMINI_FAKE_API_KEY;
  return startFakeServer(async (context, response) => {
    const { request } = context;
    const match = GEMINI_PATH.exec(request.path);
    if (request.method !== 'POST' || match === null) {
      writeGoogleError(response, 'NOT_FOUND', `The requested URL ${request.path} was not found on this server.`);
      return;
    }
    const key = request.headers['x-goog-api-key'] ?? request.query.get('key') ?? undefined;
    if (key === undefined) {
      writeGoogleError(
        response,
        'PERMISSION_DENIED',
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
      );
      return;
    }
    if (key !== apiKey) {
      writeGoogleError(response, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
        errorInfo('API_KEY_INVALID', { service: 'generativelanguage.googleapis.com' }),
      ]);
      return;
    }
    await answerGenerateContent(context, response, decodeURIComponent(match[1] as string), 'gemini');
  }, options);
}

export interface VertexFakeOptions extends FakeServerOptions {
  readonly projectId?: string;
  readonly clientEmail?: string;
  /** The service account's key; a fresh one by default. */
  readonly key?: ServiceAccountKey;
}

/** The Vertex AI / Cloud Text-to-Speech fake, with the token endpoint its service account uses. */
export interface VertexFake extends FakeServer {
  readonly projectId: string;
  /** Google's OAuth token endpoint for the service account, on its own port as it is its own host. */
  readonly tokenServer: FakeServer;
  readonly tokenUrl: string;
  /** Access tokens issued by `tokenUrl`; the APIs accept only these. */
  readonly issuedTokens: ReadonlySet<string>;
  /** A service-account key file whose `token_uri` is `tokenUrl` (another key's file gets refused). */
  serviceAccount(privateKey?: string): Record<string, string>;
}

const VERTEX_FAKE_PROJECT = 'tts-gateway-fake';
const VERTEX_PATH = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/google\/models\/([^/:]+):generateContent$/;

/**
 * Google Cloud for the `vertex_ai/` adapter:
 * - `POST /v1/projects/{p}/locations/{l}/publishers/google/models/{m}:generateContent`: Gemini TTS on Vertex;
 * - `POST /v1/text:synthesize`: Cloud Text-to-Speech;
 * both requiring `Authorization: Bearer` with a token issued by `POST {tokenServer}/token`, the
 * OAuth endpoint a service account's JWT-bearer grant goes to. The token endpoint is a separate
 * server, so failures injected into this fake always reach the speech APIs.
 */
export async function startVertexFake(options: VertexFakeOptions = {}): Promise<VertexFake> {
  const projectId = options.projectId ?? VERTEX_FAKE_PROJECT;
  const clientEmail = options.clientEmail ?? `tts-gateway@${projectId}.iam.gserviceaccount.com`;
  const key = options.key ?? generateServiceAccountKey();
  const issuer = createTokenIssuer({ clientEmail, publicKey: key.publicKey });
  const tokenServer = await startFakeServer((context, response) => {
    if (context.request.method !== 'POST' || context.request.path !== '/token') {
      response.writeHead(404, { 'content-type': 'text/html; charset=UTF-8' });
      response.end('<!DOCTYPE html><title>Error 404 (Not Found)</title>');
      return;
    }
    if (!refuseAsInjected(context, response)) issuer.handle(context.request, response);
  });

  const fake = await startFakeServer(async (context, response) => {
    const { request } = context;
    const vertex = VERTEX_PATH.exec(request.path);
    const isSynthesize = request.path === '/v1/text:synthesize';
    if (request.method !== 'POST' || (vertex === null && !isSynthesize)) {
      writeGoogleError(response, 'NOT_FOUND', `The requested URL ${request.path} was not found on this server.`);
      return;
    }
    if (!authorized(context, response, issuer.isIssued)) return;
    if (isSynthesize) {
      const billed = request.headers['x-goog-user-project'];
      if (billed !== undefined && billed !== projectId) {
        writeGoogleError(
          response,
          'PERMISSION_DENIED',
          `Caller does not have required permission to use project ${billed}. Grant the caller the roles/serviceusage.serviceUsageConsumer role, or a custom role with the serviceusage.services.use permission.`,
          [errorInfo('USER_PROJECT_DENIED', { consumer: `projects/${billed}` })],
        );
        return;
      }
      await answerSynthesize(context, response);
      return;
    }
    const [, project = '', , model = ''] = vertex as RegExpExecArray;
    if (decodeURIComponent(project) !== projectId) {
      writeGoogleError(response, 'PERMISSION_DENIED', `Permission denied on resource project ${decodeURIComponent(project)}.`, [
        errorInfo('CONSUMER_INVALID', { consumer: `projects/${project}` }),
      ]);
      return;
    }
    await answerGenerateContent(context, response, decodeURIComponent(model), 'vertex');
  }, options);
  const tokenUrl = `${tokenServer.baseUrl}/token`;
  const closeApi = fake.close;
  const resetApi = fake.reset;
  return Object.assign(fake, {
    projectId,
    tokenServer,
    tokenUrl,
    issuedTokens: issuer.issued,
    reset: () => {
      resetApi();
      tokenServer.reset();
    },
    close: async () => {
      await Promise.all([closeApi(), tokenServer.close()]);
    },
    serviceAccount: (privateKey: string = key.privateKey): Record<string, string> => ({
      type: 'service_account',
      project_id: projectId,
      private_key_id: 'fake-key-1',
      private_key: privateKey,
      client_email: clientEmail,
      client_id: '100000000000000000001',
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: tokenUrl,
      auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
      universe_domain: 'googleapis.com',
    }),
  });
}

/** Failures injected into the token server, as Google's OAuth endpoint words them. */
function refuseAsInjected(context: FakeContext, response: ServerResponse): boolean {
  const kind = context.failure?.kind;
  if (kind === undefined || kind === 'slow') return false;
  const [status, error, description] =
    kind === 'auth' || kind === 'bad_request'
      ? [400, 'invalid_grant', 'Invalid grant: account not found']
      : kind === 'rate_limited'
        ? [429, 'rate_limit_exceeded', 'Too many token requests']
        : [503, 'temporarily_unavailable', 'The service is currently unavailable.'];
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify({ error, error_description: description }));
  return true;
}

/** Google's answers to a missing or unknown OAuth token. */
function authorized(context: FakeContext, response: ServerResponse, isIssued: (token: string) => boolean): boolean {
  const header = context.request.headers['authorization'];
  if (header === undefined) {
    writeGoogleError(
      response,
      'UNAUTHENTICATED',
      'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      [errorInfo('CREDENTIALS_MISSING', {})],
    );
    return false;
  }
  const token = /^Bearer (.+)$/.exec(header)?.[1];
  if (token === undefined || !isIssued(token)) {
    writeGoogleError(
      response,
      'UNAUTHENTICATED',
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      [errorInfo('ACCESS_TOKEN_TYPE_UNSUPPORTED', {})],
    );
    return false;
  }
  return true;
}
