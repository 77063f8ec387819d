import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { parseConfigDocument } from '../../src/config/load-config.js';

const ROOT = new URL('../../', import.meta.url);

const serviceSchema = z.looseObject({
  image: z.string().optional(),
  build: z.string().optional(),
  command: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.string()).optional(),
  volumes: z.array(z.string()).optional(),
  ports: z.array(z.string()).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  deploy: z.looseObject({ replicas: z.number().int().positive() }).optional(),
});
const composeSchema = z.looseObject({
  services: z.record(z.string(), serviceSchema),
  volumes: z.record(z.string(), z.unknown().nullable()),
  configs: z.record(z.string(), z.object({ content: z.string() })),
});

describe('docker-compose.yml', async () => {
  // `merge: true` resolves the `<<: *gateway` keys as Docker Compose does.
  const compose = composeSchema.parse(parse(await readFile(new URL('docker-compose.yml', ROOT), 'utf8'), { merge: true }));
  const service = (name: string) => {
    const found = compose.services[name];
    if (found === undefined) throw new Error(`no service ${name}`);
    return found;
  };

  it('runs an api, scalable workers, Redis and MinIO with its bucket', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'minio', 'minio-bucket', 'redis', 'worker']);
    expect(service('api').command?.slice(0, 2)).toEqual(['--role', 'api']);
    expect(service('api').ports).toEqual(['4000:4000']);
    expect(service('worker').command).toEqual(['--role', 'worker']);
    expect(service('worker').ports).toBeUndefined();
    expect(service('worker').deploy?.replicas).toBeGreaterThanOrEqual(1);
    expect(service('minio-bucket').entrypoint).toEqual(expect.arrayContaining([expect.stringContaining('mc mb --ignore-existing local/tts-audio')]));
  });

  it('points both roles at the one Redis, which keeps an AOF and never evicts', () => {
    for (const name of ['api', 'worker']) {
      expect(service(name).build).toBe('.');
      expect(service(name).environment?.['REDIS_URL']).toBe('redis://redis:6379');
      expect(service(name).depends_on?.['redis']?.condition).toBe('service_healthy');
      expect(service(name).depends_on?.['minio-bucket']?.condition).toBe('service_completed_successfully');
    }
    const redis = service('redis').command ?? [];
    expect(redis.join(' ')).toContain('--appendonly yes');
    expect(redis.join(' ')).toContain('--maxmemory-policy noeviction');
    expect(service('redis').volumes).toEqual(['redis-data:/data']);
    expect(service('minio').volumes).toEqual(['minio-data:/data']);
    expect(Object.keys(compose.volumes).sort()).toEqual(['minio-data', 'redis-data']);
  });

  it('ships a gateway config that our own loader accepts, on S3 with path-style addressing', () => {
    const content = compose.configs['gateway-config']?.content ?? '';
    const config = parseConfigDocument(parse(content), {
      S3_ENDPOINT: 'http://minio:9000',
      S3_ACCESS_KEY_ID: 'user',
      S3_SECRET_ACCESS_KEY: 'password-1234',
      PUBLIC_BASE_URL: 'http://localhost:4000',
    });
    expect(config.storage_settings).toMatchObject({ driver: 's3', bucket: 'tts-audio', endpoint: 'http://minio:9000', force_path_style: true });
    expect(config.webhook_settings.allow_private_networks).toBe(false);
  });

  it('builds from node:20-bookworm-slim with ffmpeg and espeak-ng', async () => {
    const dockerfile = await readFile(new URL('Dockerfile', ROOT), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim$/m);
    expect(dockerfile).toMatch(/apt-get install -y --no-install-recommends ffmpeg espeak-ng/);
    expect(dockerfile).toContain('ENTRYPOINT ["node", "--import", "tsx", "src/main.ts"]');
  });
});
