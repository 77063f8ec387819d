import type { IncomingMessage } from 'node:http';

/**
 * A body that could not be read, shaped as body-parser's errors are (`type`, `status`), so the
 * error envelope answers exactly as it does for a body Express read.
 */
class BodyReadError extends Error {
  override readonly name = 'BodyReadError';
  constructor(
    readonly type: 'entity.too.large' | 'entity.parse.failed' | 'request.aborted',
    readonly status: number,
    readonly limit?: number,
    readonly length?: number,
  ) {
    super(type);
  }
}

/** No body at all: body-parser's test (`type-is`'s `hasBody`), neither a transfer encoding nor a numeric length. */
function hasBody(request: IncomingMessage): boolean {
  return request.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(request.headers['content-length']));
}

/**
 * Whether this module reads the body as Express's `express.json({ type: () => true, strict: true })`
 * would: an uncompressed body in UTF-8 (or without a charset). Compressed bodies and other
 * charsets are left to body-parser, which decodes them.
 */
export function isPlainBody(request: IncomingMessage): boolean {
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  const type = request.headers['content-type'];
  return type === undefined || !/charset/i.test(type) || /;\s*charset\s*=\s*"?utf-8"?\s*(;|$)/i.test(type);
}

const UTF8_BOM = 0xfeff;
const FIRST_NON_WHITESPACE = /^[\x20\x09\x0a\x0d]*([^\x20\x09\x0a\x0d]|$)/;

/**
 * Reads and parses a JSON body as body-parser does for this service: `undefined` when there is
 * no body, `{}` for an empty one, a strict JSON object or array otherwise; over `limitBytes` a
 * 413 (announced lengths refused before reading). After an error the rest of the body is read
 * off before it is reported, so the answer reaches a client that is still sending.
 */
export function readJsonBody(request: IncomingMessage, limitBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (!hasBody(request)) {
      resolve(undefined);
      return;
    }
    const fail = (error: BodyReadError): void => {
      request.removeAllListeners('data');
      request.removeAllListeners('end');
      if (request.complete) reject(error);
      else {
        request.once('end', () => reject(error));
        request.once('close', () => reject(error));
        request.resume();
      }
    };
    const announced = Number(request.headers['content-length']);
    if (Number.isFinite(announced) && announced > limitBytes) {
      fail(new BodyReadError('entity.too.large', 413, limitBytes, announced));
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) fail(new BodyReadError('entity.too.large', 413, limitBytes));
      else chunks.push(chunk);
    });
    request.once('close', () => {
      if (!request.complete) reject(new BodyReadError('request.aborted', 400));
    });
    request.once('end', () => {
      let text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
      // body-parser's decoder drops a byte-order mark.
      if (text.charCodeAt(0) === UTF8_BOM) text = text.slice(1);
      if (text.length === 0) {
        resolve({});
        return;
      }
      const first = text[0] === '{' || text[0] === '[' ? text[0] : FIRST_NON_WHITESPACE.exec(text)?.[1];
      if (first !== '{' && first !== '[') {
        reject(new BodyReadError('entity.parse.failed', 400));
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new BodyReadError('entity.parse.failed', 400));
      }
    });
  });
}
