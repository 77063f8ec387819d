/**
 * The floor for the sync benchmark: the least a Node proxy can do for this call. It parses the
 * JSON body, calls the upstream through an undici Pool with keep-alive, and streams the answer
 * back. No auth, no validation, no routing, no records.
 *   tsx bench/sync/bare-proxy.ts <upstream origin> <upstream key>
 */
import { createServer } from 'node:http';
import { pipeline } from 'node:stream';
import { Pool } from 'undici';

const [origin, key] = process.argv.slice(2);
if (origin === undefined || key === undefined) throw new Error('usage: bare-proxy.ts <upstream origin> <upstream key>');
const pool = new Pool(origin, { connections: 128, pipelining: 1 });
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    pool
      .request({
        method: 'POST',
        path: '/v1/audio/speech',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      .then((upstream) => {
        response.writeHead(upstream.statusCode, { 'content-type': String(upstream.headers['content-type'] ?? 'audio/mpeg') });
        pipeline(upstream.body, response, () => undefined);
      })
      .catch(() => response.writeHead(502).end());
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`bare proxy listening on port ${typeof address === 'object' && address !== null ? address.port : 0}\n`);
});
