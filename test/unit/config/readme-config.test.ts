import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../../src/config/config-error.js';
import { parseConfigDocument } from '../../../src/config/load-config.js';
import { buildCatalog } from '../../../src/domain/catalog.js';
import { builtInProviders } from '../../../src/providers/built-in.js';
import { createProviderRegistry } from '../../../src/providers/registry.js';
import { remoteProviderDependencies } from '../../helpers/provider-dependencies.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

function exampleAfter(marker: string): unknown {
  const start = README.indexOf(marker);
  expect(start, `README has ${marker}`).toBeGreaterThan(-1);
  const block = /```yaml\n([\s\S]*?)```/.exec(README.slice(start));
  return parseYaml(block?.[1] ?? '');
}

describe('the README config examples', () => {
  it('configures every provider, and each deployment builds', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const serviceAccount = JSON.stringify({
      type: 'service_account',
      project_id: 'my-project',
      private_key_id: 'key-1',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: 'tts@my-project.iam.gserviceaccount.com',
      token_uri: 'https://oauth2.googleapis.com/token',
    });
    const environment = {
      OPENAI_API_KEY: 'sk-openai',
      AZURE_API_KEY: 'azure-key',
      AZURE_TTS_API_KEY: 'azure-tts-key',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      VERTEX_CREDENTIALS: serviceAccount,
      GEMINI_API_KEY: 'gemini-key',
      ELEVENLABS_API_KEY: 'eleven-key',
      MINIMAX_API_KEY: 'minimax-key',
      MASTER_KEY: 'sk-master',
    };
    const config = parseConfigDocument(exampleAfter('<!-- config-example:all-providers -->'), environment);
    const catalog = buildCatalog(config, createProviderRegistry(builtInProviders), remoteProviderDependencies());
    const providers = new Set(catalog.modelNames.flatMap((name) => (catalog.group(name) ?? []).map((deployment) => deployment.provider)));
    expect([...providers].sort()).toEqual(['aws_polly', 'azure', 'azure_speech', 'elevenlabs', 'espeak', 'gemini', 'minimax', 'openai', 'vertex_ai']);
  });

  it('shows a quick-start config that builds', () => {
    const config = parseConfigDocument(exampleAfter('npm start -- --config config.yaml'), {
      OPENAI_API_KEY: 'a',
      AZURE_API_KEY: 'b',
      ELEVENLABS_API_KEY: 'c',
      MASTER_KEY: 'd',
    });
    const catalog = buildCatalog(config, createProviderRegistry(builtInProviders), remoteProviderDependencies());
    expect(catalog.modelNames).toEqual(['tts-1', 'narrator', 'offline']);
  });
});

describe('fallbacks in the config', () => {
  it('must name model groups that exist', () => {
    const config = parseConfigDocument(
      {
        model_list: [{ model_name: 'main', litellm_params: { model: 'espeak/en-us' } }],
        router_settings: { fallbacks: [{ main: ['backup'] }, { ghost: ['main'] }], default_fallbacks: ['spare'] },
      },
      {},
    );
    expect(() => buildCatalog(config, createProviderRegistry(builtInProviders), remoteProviderDependencies())).toThrow(ConfigError);
    try {
      buildCatalog(config, createProviderRegistry(builtInProviders), remoteProviderDependencies());
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'router_settings.fallbacks.0.main: "backup" is not a model_name in model_list',
        'router_settings.fallbacks.1: "ghost" is not a model_name in model_list',
        'router_settings.default_fallbacks.0: "spare" is not a model_name in model_list',
      ]);
    }
  });
});
