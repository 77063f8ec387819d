import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isForbiddenAddress } from '../../../src/webhooks/address-policy.js';
import { guardedLookup, guardedPost } from '../../../src/webhooks/guarded-request.js';

describe('the webhook address policy', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.100.100.200',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd00:ec2::254',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '::127.0.0.1',
    '64:ff9b::10.0.0.1',
    '2002:c0a8:0101::1',
    '[::1]',
    'not-an-address',
  ])('refuses %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:0808:0808::1'])(
    'allows %s',
    (address) => {
      expect(isForbiddenAddress(address)).toBe(false);
    },
  );

  it('refuses a name that resolves to loopback at lookup time', async () => {
    const error = await new Promise<Error | null>((resolve) => guardedLookup('localhost', {}, (failure) => resolve(failure)));
    expect(error?.message).toMatch(/refused to connect to (127\.0\.0\.1|::1)/);
  });

  it('checks the connected socket, so a literal loopback address is refused before any byte is sent', async () => {
    let requests = 0;
    const server = createServer((_request, response) => {
      requests += 1;
      response.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const refused = await guardedPost(new URL(`http://127.0.0.1:${port}/hook`), { headers: {}, body: '{}', timeoutMs: 2000, allowPrivateNetworks: false });
      expect(refused.kind).toBe('refused');
      const allowed = await guardedPost(new URL(`http://127.0.0.1:${port}/hook`), { headers: {}, body: '{}', timeoutMs: 2000, allowPrivateNetworks: true });
      expect(allowed).toEqual({ kind: 'response', status: 200 });
      expect(requests).toBe(1);
    } finally {
      server.close();
    }
  });
});
