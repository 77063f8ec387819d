// An S3-compatible store for machines where no registry serves MinIO's image: s3rver keeps the
// objects, and this front verifies AWS Signature Version 4 (Authorization headers and presigned
// queries) before a request reaches it, as S3 and MinIO do and s3rver does not. It speaks MinIO's
// container contract: `server [--address HOST:PORT] /data`, MINIO_ROOT_USER / MINIO_ROOT_PASSWORD,
// port 9000 by default, and an "API: http://..." line once it serves. The tests also run it as a
// plain process where no container engine runs.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, request } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const S3rver = require('s3rver');
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account');

const accessKeyId = process.env.MINIO_ROOT_USER ?? 'minioadmin';
const secretAccessKey = process.env.MINIO_ROOT_PASSWORD ?? 'minioadmin';
const region = process.env.MINIO_REGION ?? 'us-east-1';
const [command, ...rest] = process.argv.slice(2);
if (command !== 'server') throw new Error(`usage: s3-stand-in.mjs server [--address HOST:PORT] DIRECTORY (got ${process.argv.slice(2).join(' ')})`);
const addressIndex = rest.indexOf('--address');
const address = addressIndex === -1 ? ':9000' : rest.splice(addressIndex, 2)[1];
const directory = rest[0] ?? '/data';
const listenHost = address.slice(0, address.lastIndexOf(':')) || '0.0.0.0';
const listenPort = Number(address.slice(address.lastIndexOf(':') + 1));
const skewMilliseconds = 15 * 60 * 1000;
const streamingHashes = new Set([
  'UNSIGNED-PAYLOAD',
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
]);

DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
const store = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, allowMismatchedSignatures: true });
const { port: storePort } = await store.run();

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
const encode = (text) => encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);

class Refusal extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The parts of a SigV4 request, from its Authorization header or its presigned query. */
function signatureOf(headers, query) {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('AWS4-HMAC-SHA256 ')) {
    const fields = Object.fromEntries(
      authorization
        .slice('AWS4-HMAC-SHA256 '.length)
        .split(',')
        .map((part) => {
          const [name, ...value] = part.trim().split('=');
          return [name, value.join('=')];
        }),
    );
    return {
      credential: fields.Credential,
      signedHeaders: fields.SignedHeaders,
      signature: fields.Signature,
      date: headers['x-amz-date'],
      payloadHash: headers['x-amz-content-sha256'],
      expires: undefined,
    };
  }
  const parameters = new Map(query.map(([name, value]) => [name, value]));
  if (parameters.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256') {
    return {
      credential: parameters.get('X-Amz-Credential'),
      signedHeaders: parameters.get('X-Amz-SignedHeaders'),
      signature: parameters.get('X-Amz-Signature'),
      date: parameters.get('X-Amz-Date'),
      payloadHash: 'UNSIGNED-PAYLOAD',
      expires: Number(parameters.get('X-Amz-Expires')),
    };
  }
  if (typeof authorization === 'string') throw new Refusal(400, 'AuthorizationHeaderMalformed', 'Only AWS Signature Version 4 is accepted.');
  throw new Refusal(403, 'AccessDenied', 'Anonymous requests are not allowed.');
}

function parseDate(text) {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '');
  if (match === null) throw new Refusal(403, 'AccessDenied', 'X-Amz-Date is missing or malformed.');
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6]));
}

/** Throws a Refusal unless the request is signed with our key, region and canonical form. */
function verify(method, rawUrl, headers, body) {
  const [path, rawQuery = ''] = rawUrl.split(/\?(.*)/s);
  const query =
    rawQuery === ''
      ? []
      : rawQuery.split('&').map((pair) => {
          const [name, ...value] = pair.split('=');
          return [decodeURIComponent(name.replace(/\+/g, ' ')), decodeURIComponent(value.join('=').replace(/\+/g, ' '))];
        });
  const parts = signatureOf(headers, query);
  if (!parts.credential || !parts.signedHeaders || !parts.signature)
    throw new Refusal(400, 'AuthorizationHeaderMalformed', 'Credential, SignedHeaders and Signature are all required.');
  const [keyId, day, scopeRegion, service, terminator] = parts.credential.split('/');
  if (keyId !== accessKeyId) throw new Refusal(403, 'InvalidAccessKeyId', 'The Access Key Id you provided does not exist in our records.');
  if (scopeRegion !== region || service !== 's3' || terminator !== 'aws4_request')
    throw new Refusal(
      400,
      'AuthorizationHeaderMalformed',
      `The credential scope must be <date>/${region}/s3/aws4_request, not ${parts.credential.split('/').slice(1).join('/')}.`,
    );
  const signedAt = parseDate(parts.date);
  if (!parts.date.startsWith(day)) throw new Refusal(403, 'SignatureDoesNotMatch', 'The credential date differs from X-Amz-Date.');
  if (parts.expires === undefined) {
    if (Math.abs(Date.now() - signedAt) > skewMilliseconds)
      throw new Refusal(403, 'RequestTimeTooSkewed', 'The difference between the request time and the server time is too large.');
  } else if (!(parts.expires > 0) || Date.now() > signedAt + parts.expires * 1000) {
    throw new Refusal(403, 'AccessDenied', 'Request has expired.');
  }
  if (parts.payloadHash === undefined) throw new Refusal(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256.');
  if (!streamingHashes.has(parts.payloadHash)) {
    if (!/^[0-9a-f]{64}$/.test(parts.payloadHash))
      throw new Refusal(400, 'InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a streaming mode or a SHA-256.');
    if (sha256(body) !== parts.payloadHash)
      throw new Refusal(400, 'XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed.');
  }
  const signedHeaderNames = parts.signedHeaders.split(';');
  if (!signedHeaderNames.includes('host')) throw new Refusal(403, 'AccessDenied', 'The host header must be signed.');
  const canonicalHeaders = signedHeaderNames
    .map((name) => {
      const value = headers[name];
      if (value === undefined) throw new Refusal(403, 'SignatureDoesNotMatch', `The signed header ${name} is missing.`);
      return `${name}:${String(value).trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const canonicalQuery = query
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [encode(name), encode(value)])
    .sort(([leftName, leftValue], [rightName, rightValue]) =>
      leftName < rightName ? -1 : leftName > rightName ? 1 : leftValue < rightValue ? -1 : leftValue > rightValue ? 1 : 0,
    )
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalRequest = [method, path, canonicalQuery, canonicalHeaders, parts.signedHeaders, parts.payloadHash].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', parts.date, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), 's3'), 'aws4_request');
  const expected = Buffer.from(createHmac('sha256', signingKey).update(stringToSign).digest('hex'));
  const provided = Buffer.from(parts.signature);
  if (expected.length !== provided.length || !timingSafeEqual(expected, provided))
    throw new Refusal(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    );
}

const server = createServer((incoming, outgoing) => {
  const payloadHash = incoming.headers['x-amz-content-sha256'];
  const buffered = typeof payloadHash === 'string' && /^[0-9a-f]{64}$/.test(payloadHash);
  const chunks = [];
  const forward = (body) => {
    try {
      verify(incoming.method ?? 'GET', incoming.url ?? '/', incoming.headers, body ?? Buffer.alloc(0));
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      outgoing.writeHead(error.status, { 'content-type': 'application/xml' });
      outgoing.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${error.code}</Code><Message>${error.message}</Message></Error>`);
      incoming.resume();
      return;
    }
    const upstream = request({ host: '127.0.0.1', port: storePort, method: incoming.method, path: incoming.url, headers: incoming.headers }, (response) => {
      outgoing.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(outgoing);
    });
    upstream.on('error', (error) => outgoing.destroy(error));
    if (body === undefined) incoming.pipe(upstream);
    else upstream.end(body);
  };
  if (!buffered) {
    forward(undefined);
    return;
  }
  incoming.on('data', (chunk) => chunks.push(chunk));
  incoming.on('end', () => forward(Buffer.concat(chunks)));
});
server.listen(listenPort, listenHost, () => console.log(`API: http://${listenHost}:${server.address().port} (s3rver behind a Signature Version 4 check)`));
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => store.close().then(() => process.exit(0))));
