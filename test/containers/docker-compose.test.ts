import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfigDocument } from '../../src/config/load-config.js';
import { activeServices, type ComposeDependency, loadCompose } from '../helpers/compose-file.js';

const ROOT = new URL('../../', import.meta.url);

describe('docker-compose.yml', () => {
  const compose = loadCompose({ MASTER_KEY: 'sk-compose' });
  const service = (name: string) => {
    const found = compose.services[name];
    if (found === undefined) throw new Error(`no service ${name}`);
    return found;
  };

  it('runs an api, scalable workers, Redis and MinIO with its bucket', () => {
    expect(activeServices(compose).sort()).toEqual(['api', 'minio', 'minio-bucket', 'redis', 'worker']);
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
      expect(service(name).depends_on).toMatchObject({
        redis: { condition: 'service_healthy' },
        'minio-bucket': { condition: 'service_completed_successfully' },
      });
    }
    const redis = service('redis').command ?? [];
    expect(redis.join(' ')).toContain('--appendonly yes');
    expect(redis.join(' ')).toContain('--maxmemory-policy noeviction');
    expect(service('redis').volumes).toEqual(['redis-data:/data']);
    expect(service('minio').volumes).toEqual(['minio-data:/data']);
    expect(Object.keys(compose.volumes ?? {}).sort()).toEqual(['minio-data', 'redis-data']);
  });

  it('has a sentinel profile: two replicas of redis and three Sentinels, which the roles wait for only when it is on', () => {
    expect(activeServices(compose, ['sentinel']).sort()).toEqual(
      ['api', 'minio', 'minio-bucket', 'redis', 'redis-replica-1', 'redis-replica-2', 'sentinel-1', 'sentinel-2', 'sentinel-3', 'worker'].sort(),
    );
    for (const name of ['redis-replica-1', 'redis-replica-2']) {
      expect(service(name).command?.join(' ')).toMatch(/^redis-server --replicaof redis 6379 .*--appendonly yes.*--maxmemory-policy noeviction/);
    }
    for (const name of ['sentinel-1', 'sentinel-2', 'sentinel-3']) {
      expect(service(name).command?.at(-1)).toContain('redis-server /data/sentinel.conf --sentinel');
      expect(service(name).configs).toEqual([{ source: 'sentinel-config', target: '/etc/redis/sentinel.conf' }]);
      for (const role of ['api', 'worker'])
        expect((service(role).depends_on as Record<string, ComposeDependency>)[name]).toEqual({ condition: 'service_healthy', required: false });
    }
    expect(compose.configs?.['sentinel-config']?.content).toMatch(/^sentinel monitor tts-gateway redis 6379 2$/m);
    // REDIS_URL, set beside COMPOSE_PROFILES=sentinel, moves both roles to the Sentinels.
    const url = 'redis+sentinel://sentinel-1:26379,sentinel-2:26379,sentinel-3:26379/tts-gateway';
    const withSentinel = loadCompose({ MASTER_KEY: 'sk-compose', REDIS_URL: url });
    for (const role of ['api', 'worker']) expect(withSentinel.services[role]?.environment?.['REDIS_URL']).toBe(url);
  });

  it('ships a gateway config that our own loader accepts, on S3 with path-style addressing', () => {
    const content = compose.configs?.['gateway-config']?.content ?? '';
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
