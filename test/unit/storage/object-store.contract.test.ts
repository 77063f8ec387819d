import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFilesystemStore } from '../../../src/storage/filesystem-store.js';
import type { ObjectStore } from '../../../src/storage/object-store.js';
import { createS3Store } from '../../../src/storage/s3-store.js';
import { createUrlSigner, persistentSecret } from '../../../src/storage/url-signing.js';
import { startTestS3, type TestS3 } from '../../helpers/services.js';

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

async function* failingAfter(part: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(part);
  throw new Error('the producer died');
}

async function read(body: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const chunk of body) parts.push(chunk);
  return Buffer.concat(parts).toString();
}

let directory: string;
let s3: TestS3;
const stores: Record<string, ObjectStore> = {};

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'tts-gateway-store-'));
  s3 = await startTestS3('contract');
  stores['filesystem'] = createFilesystemStore({
    root: join(directory, 'audio'),
    signer: createUrlSigner(persistentSecret(undefined, join(directory, 'audio', '.url-signing-secret'))),
    now: Date.now,
  });
  stores['s3'] = createS3Store({
    bucket: s3.bucket,
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
});
afterAll(async () => {
  await s3.stop();
  await rm(directory, { recursive: true, force: true });
});

describe.each(['filesystem', 's3'])('the %s object store', (driver) => {
  const store = (): ObjectStore => stores[driver] as ObjectStore;

  it('stores a stream and gives back the same bytes and type', async () => {
    const big = 'x'.repeat(6 * 1024 * 1024);
    const written = await store().put('jobs/job_a/items/0.mp3', chunks('ID3', big, 'end'), { contentType: 'audio/mpeg' });
    expect(written.bytes).toBe(big.length + 6);
    const object = await store().get('jobs/job_a/items/0.mp3');
    expect(object?.contentType).toBe('audio/mpeg');
    expect(object?.bytes).toBe(big.length + 6);
    expect(await read(object?.body ?? chunks())).toBe(`ID3${big}end`);
  });

  it('keeps many small chunks in order, across the sizes at which writes are gathered', async () => {
    // 300 chunks of 1,000 bytes, each stamped with its number: a reordered or dropped chunk shows.
    const parts = Array.from({ length: 300 }, (_, index) => String(index).padStart(4, '0').repeat(250));
    const written = await store().put('jobs/job_d/items/1.pcm', chunks(...parts), { contentType: 'audio/pcm' });
    expect(written.bytes).toBe(300_000);
    expect(await read((await store().get('jobs/job_d/items/1.pcm'))?.body ?? chunks())).toBe(parts.join(''));
  });

  it('overwrites the same key instead of keeping two objects', async () => {
    await store().put('jobs/job_b/items/3.wav', chunks('first'), { contentType: 'audio/wav' });
    await store().put('jobs/job_b/items/3.wav', chunks('second'), { contentType: 'audio/wav' });
    expect(await read((await store().get('jobs/job_b/items/3.wav'))?.body ?? chunks())).toBe('second');
  });

  it('never shows an object whose stream failed half-way', async () => {
    await expect(store().put('jobs/job_c/items/0.pcm', failingAfter('half'), { contentType: 'audio/pcm' })).rejects.toThrow();
    expect(await store().get('jobs/job_c/items/0.pcm')).toBeUndefined();
  });

  it('deletes, and deleting a missing object is fine', async () => {
    await store().put('jobs/job_d/items/0.flac', chunks('fLaC'), { contentType: 'audio/flac' });
    await store().delete('jobs/job_d/items/0.flac');
    expect(await store().get('jobs/job_d/items/0.flac')).toBeUndefined();
    await store().delete('jobs/job_d/items/0.flac');
  });

  it('refuses keys that could escape their folder', async () => {
    await expect(store().put('../outside.mp3', chunks('x'), { contentType: 'audio/mpeg' })).rejects.toThrow(/invalid storage key/);
    await expect(store().get('jobs/../../etc/passwd')).rejects.toThrow(/invalid storage key/);
  });

  it('makes an absolute, expiring URL', async () => {
    await store().put('jobs/job_e/items/0.mp3', chunks('small'), { contentType: 'audio/mpeg' });
    const url = new URL(await store().url('jobs/job_e/items/0.mp3', { expiresInSeconds: 120, baseUrl: 'http://gateway.example:4000' }));
    expect(url.protocol).toBe('http:');
    if (driver === 'filesystem') {
      expect(url.origin).toBe('http://gateway.example:4000');
      expect(url.pathname).toBe('/v1/audio/speech/downloads/jobs/job_e/items/0.mp3');
      expect(Number(url.searchParams.get('expires'))).toBeGreaterThan(Date.now() / 1000 + 100);
      expect(url.searchParams.get('signature')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    } else {
      expect(url.origin).toBe(s3.endpoint);
      expect(url.pathname).toBe('/contract/jobs/job_e/items/0.mp3');
      expect(url.searchParams.get('X-Amz-Expires')).toBe('120');
      expect((await fetch(url)).status).toBe(200);
    }
  });
});

describe('filesystem specifics', () => {
  it('leaves no temporary file behind after a failed write', async () => {
    const files = await readdir(join(directory, 'audio', 'jobs', 'job_c', 'items'));
    expect(files).toEqual([]);
  });

  it('generates a random signing secret once, keeps it in the data folder, and reuses it', async () => {
    const file = join(directory, 'secrets', '.url-signing-secret');
    const first = await persistentSecret(undefined, file)();
    const second = await persistentSecret(undefined, file)();
    expect(first).toBe(second);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(await readFile(file, 'utf8')).toBe(first);
    const elsewhere = await persistentSecret(undefined, join(directory, 'other', '.url-signing-secret'))();
    expect(elsewhere).not.toBe(first);
    expect(await persistentSecret('configured-secret-value-1234', file)()).toBe('configured-secret-value-1234');
  });

  it('verifies signatures and expiry', async () => {
    const signer = createUrlSigner(async () => 'a-secret-for-the-test-of-signing');
    const expires = Math.floor(Date.now() / 1000) + 60;
    const signature = await signer.sign('jobs/x/items/0.mp3', expires);
    expect(await signer.verify('jobs/x/items/0.mp3', expires, signature, Date.now())).toBe(true);
    expect(await signer.verify('jobs/x/items/1.mp3', expires, signature, Date.now())).toBe(false);
    expect(await signer.verify('jobs/x/items/0.mp3', expires + 1, signature, Date.now())).toBe(false);
    expect(await signer.verify('jobs/x/items/0.mp3', expires, signature, (expires + 1) * 1000)).toBe(false);
    expect(await signer.verify('jobs/x/items/0.mp3', expires, `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`, Date.now())).toBe(false);
  });
});

describe('S3 specifics: the store verifies Signature Version 4, as S3 and MinIO do', () => {
  const signedWith = (secretAccessKey: string, region = s3.region): ObjectStore =>
    createS3Store({ bucket: s3.bucket, region, endpoint: s3.endpoint, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey } });

  it('refuses a write signed with the wrong secret, and keeps nothing of it', async () => {
    await expect(signedWith('not-the-secret-at-all').put('jobs/job_sig/items/0.mp3', chunks('forged'), { contentType: 'audio/mpeg' })).rejects.toThrow(
      /signature/i,
    );
    await expect(stores['s3']?.get('jobs/job_sig/items/0.mp3')).resolves.toBeUndefined();
  });

  it('refuses a presigned URL whose signature or key was altered', async () => {
    await stores['s3']?.put('jobs/job_sig/items/1.mp3', chunks('genuine'), { contentType: 'audio/mpeg' });
    const url = new URL(await (stores['s3'] as ObjectStore).url('jobs/job_sig/items/1.mp3', { expiresInSeconds: 60, baseUrl: 'http://gateway.example:4000' }));
    expect((await fetch(url)).status).toBe(200);
    const signature = url.searchParams.get('X-Amz-Signature') ?? '';
    const forged = new URL(url);
    forged.searchParams.set('X-Amz-Signature', `${signature.startsWith('0') ? '1' : '0'}${signature.slice(1)}`);
    expect((await fetch(forged)).status).toBe(403);
    const otherKey = new URL(url);
    otherKey.pathname = otherKey.pathname.replace('1.mp3', '0.mp3');
    expect((await fetch(otherKey)).status).toBe(403);
  });
});
