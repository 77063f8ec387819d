import type { ModelCapabilities } from '../domain/model-capabilities.js';
import { loadConfig } from '../library/config.js';
import { createRouter } from '../library/router.js';
import { createSpeechClient } from '../library/speech-client.js';
import type { CliIo } from './cli-output.js';

export interface VoicesOptions {
  readonly model?: string;
  readonly config?: string;
  readonly url?: string;
  readonly key?: string;
  readonly json?: boolean;
}

/** `tts-gateway voices`: the voices each model group accepts, from the config (or a running server with `--url`). */
export async function voices(options: VoicesOptions, io: CliIo): Promise<void> {
  const groups: ModelCapabilities[] = [];
  if (options.url !== undefined) {
    const key = options.key ?? io.environment['TTS_GATEWAY_API_KEY'] ?? io.environment['MASTER_KEY'];
    const client = createSpeechClient({ baseUrl: options.url, ...(key === undefined ? {} : { apiKey: key }) });
    for (const model of options.model === undefined ? await client.models() : [options.model]) groups.push(await client.capabilities(model));
  } else {
    const router = createRouter(await loadConfig(options.config ?? io.environment['CONFIG_FILE_PATH'], io.environment), { environment: io.environment });
    for (const model of options.model === undefined ? router.modelNames : [options.model]) groups.push(router.capabilities(model));
  }
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify(groups, null, 2)}\n`);
    return;
  }
  for (const group of groups) {
    io.stdout.write(`${group.id} (${group.providers.join(', ')})\n`);
    io.stdout.write(`  ${group.voices.join(', ')}\n`);
    io.stdout.write(`  and any voice id native to ${group.providers.length === 1 ? 'that provider' : 'those providers'}\n`);
  }
}
