import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import { GenericContainer, getContainerRuntimeClient, ImageName, Network, Wait, type StartedNetwork, type StartedTestContainer } from 'testcontainers';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfigDocument } from '../../src/config/load-config.js';
import { loadCompose } from '../helpers/compose-file.js';
import { servicePlan } from '../helpers/services.js';

/**
 * The project's own images: docker-compose.yml checked against the Compose Specification's
 * schema (test/containers/compose-spec.json, from compose-spec/compose-spec, the schema Docker
 * Compose v2 validates against) plus the references the schema cannot see; and the Dockerfile
 * built and run, api and worker roles against a Redis container, where its base image is present.
 */
const ROOT = resolve(import.meta.dirname, '../..');

describe('docker-compose.yml', () => {
  const environment = { MASTER_KEY: 'sk-compose-master' };
  const validate = new Ajv({ strict: false, allErrors: true, validateSchema: false }).compile(
    JSON.parse(readFileSync(resolve(ROOT, 'test/containers/compose-spec.json'), 'utf8')) as object,
  );

  it('is valid under the Compose Specification schema, and the schema refuses a misspelt key', () => {
    const compose = loadCompose(environment);
    expect(validate(compose), JSON.stringify(validate.errors)).toBe(true);
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    (broken.services['api'] as Record<string, unknown>)['depends-on'] = ['redis'];
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe('/services/api');
  });

  it('refuses to start without MASTER_KEY, as `docker compose config` does', () => {
    expect(() => loadCompose({})).toThrow(/required variable MASTER_KEY is missing/);
    expect(loadCompose(environment).services['api']?.environment?.['MASTER_KEY']).toBe('sk-compose-master');
  });

  it('refers only to services, volumes and configs it declares, and builds from the Dockerfile', () => {
    const compose = loadCompose(environment);
    const services = Object.keys(compose.services);
    expect(services).toEqual(expect.arrayContaining(['api', 'worker', 'redis', 'minio', 'minio-bucket']));
    for (const [name, service] of Object.entries(compose.services)) {
      const dependencies = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const dependency of dependencies) expect(services, `${name} depends on ${dependency}`).toContain(dependency);
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
        if (source !== undefined && !source.startsWith('.') && !source.startsWith('/'))
          expect(Object.keys(compose.volumes ?? {}), `${name} mounts ${source}`).toContain(source);
      }
      for (const config of service.configs ?? []) expect(Object.keys(compose.configs ?? {})).toContain(typeof config === 'string' ? config : config.source);
      expect(service.image !== undefined || service.build !== undefined, `${name} has an image or a build`).toBe(true);
    }
    expect(compose.services['api']?.build).toBe('.');
    expect(readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8')).toMatch(/^FROM /m);
  });

  it('hands the gateway a config that tts-gateway accepts, with the environment compose sets', () => {
    const compose = loadCompose(environment);
    const content = compose.configs?.['gateway-config']?.content;
    expect(content).toBeDefined();
    const config = parseConfigDocument(parse(content ?? ''), compose.services['api']?.environment ?? {});
    expect(config.storage_settings).toMatchObject({ driver: 's3', bucket: 'tts-audio', endpoint: 'http://minio:9000' });
  });
});

const BASE_IMAGE = /^FROM\s+(\S+)/m.exec(readFileSync(resolve(ROOT, 'Dockerfile'), 'utf8'))?.[1] ?? 'unknown';
const plan = servicePlan();
const notRunBecause = await (async (): Promise<string | undefined> => {
  if (plan.kind !== 'containers') return `the run is on processes (${plan.reason})`;
  const client = await getContainerRuntimeClient();
  if (!(await client.image.exists(ImageName.fromString(BASE_IMAGE))))
    return `its base image ${BASE_IMAGE} is not present on this engine and no registry served it`;
  return undefined;
})();
if (notRunBecause !== undefined) console.warn(`The Dockerfile's image is not built or run: ${notRunBecause}`);

describe(`the Dockerfile's image${notRunBecause === undefined ? '' : ` (NOT RUN: ${notRunBecause})`}`, () => {
  const started: StartedTestContainer[] = [];
  let network: StartedNetwork | undefined;
  afterAll(async () => {
    for (const container of started.reverse()) await container.stop({ timeout: 5 });
    await network?.stop();
  });

  it.skipIf(notRunBecause !== undefined)('builds, and its api and worker roles complete a job through a Redis container', { timeout: 600_000 }, async () => {
    const image = await GenericContainer.fromDockerfile(ROOT).build('tts-gateway:test', { deleteOnExit: false });
    network = await new Network().start();
    started.push(
      await new GenericContainer(plan.redisImage)
        .withCommand(['redis-server', '--appendonly', 'yes', '--maxmemory-policy', 'noeviction', '--protected-mode', 'no', '--dir', '/data'])
        .withNetwork(network)
        .withNetworkAliases('redis')
        .withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/))
        .start(),
    );
    const config = 'model_list:\n  - model_name: tts-1\n    litellm_params:\n      model: espeak/en-us\n';
    const role = (command: string[], ready: RegExp): Promise<StartedTestContainer> =>
      image
        .withNetwork(network as StartedNetwork)
        .withEnvironment({ REDIS_URL: 'redis://redis:6379', MASTER_KEY: 'sk-image-master', CONFIG_FILE_PATH: '/app/data/config.yaml' })
        .withCopyContentToContainer([{ content: config, target: '/app/data/config.yaml', mode: 0o644 }])
        .withCommand(command)
        .withExposedPorts(4000)
        .withWaitStrategy(Wait.forLogMessage(ready))
        .withStartupTimeout(120_000)
        .start();
    const api = await role(['--role', 'api', '--host', '0.0.0.0', '--port', '4000'], /tts-gateway listening on/);
    started.push(api);
    started.push(await role(['--role', 'worker'], /tts-gateway worker running/));
    const baseUrl = `http://127.0.0.1:${api.getMappedPort(4000)}`;
    const headers = { authorization: 'Bearer sk-image-master', 'content-type': 'application/json' };
    const created = await fetch(`${baseUrl}/v1/audio/speech/jobs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'tts-1', voice: 'alloy', response_format: 'wav', items: [{ input: 'Built and run.' }, { input: 'Twice.' }] }),
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    let status = '';
    for (let attempt = 0; attempt < 120 && status !== 'completed' && status !== 'failed'; attempt += 1) {
      await new Promise((done) => setTimeout(done, 500));
      status = ((await (await fetch(`${baseUrl}/v1/audio/speech/jobs/${id}`, { headers })).json()) as { status: string }).status;
    }
    expect(status).toBe('completed');
  });
});
