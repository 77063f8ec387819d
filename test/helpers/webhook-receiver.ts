import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A local webhook receiver; `answer` decides each response's status. */
export async function startWebhookReceiver(
  answer: (attempt: number) => number = () => 200,
): Promise<{ url: string; received: ReceivedWebhook[]; all: Array<ReceivedWebhook & { status: number }>; attempts: () => number; close(): Promise<void> }> {
  const received: ReceivedWebhook[] = [];
  const all: Array<ReceivedWebhook & { status: number }> = [];
  let attempts = 0;
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      attempts += 1;
      const status = answer(attempts);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
      const delivery = { headers, body: Buffer.concat(chunks).toString('utf8') };
      all.push({ ...delivery, status });
      if (status >= 200 && status < 300) received.push(delivery);
      response.writeHead(status).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/speech`,
    received,
    all,
    attempts: () => attempts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
