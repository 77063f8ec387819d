import { isRecord } from './litellm-settings.js';
import { configSchema, generalSettingsSchema, routerSettingsSchema } from './schema.js';
import { litellmSettingsSchema } from './sections/governance.js';

/**
 * LiteLLM configs carry many settings that mean nothing for speech (chat context windows, a
 * Postgres URL, UI switches). They are accepted so the file starts unchanged, and each one
 * present is named once at start, so nothing a user relies on is silently ignored.
 */

/** Keys LiteLLM documents whose reason for having no effect here is worth saying. */
const REASONS: Readonly<Record<string, string>> = {
  'litellm_settings.context_window_fallbacks': 'speech input has no context window; long input is split instead',
  'litellm_settings.content_policy_fallbacks': 'a refused text is refused by every provider; it is not retried elsewhere',
  'litellm_settings.set_verbose': 'use LOG_LEVEL=debug',
  'litellm_settings.json_logs': 'logs are always JSON',
  'router_settings.context_window_fallbacks': 'speech input has no context window; long input is split instead',
  'router_settings.enable_pre_call_checks': 'input limits are always checked before the call',
  'general_settings.database_url': 'keys and spend are kept in Redis',
  'general_settings.store_model_in_db': 'models come from the config file only',
  'general_settings.alerting': 'use the Prometheus metrics at /metrics',
};

/** The `litellm_settings` keys honoured by mapping onto the router and the request path. */
const HONOURED_LITELLM_KEYS = ['num_retries', 'request_timeout', 'fallbacks', 'default_fallbacks', 'allowed_fails', 'retry_after', 'drop_params'];

const SECTIONS: ReadonlyArray<readonly [section: string, honoured: ReadonlySet<string>]> = [
  ['litellm_settings', new Set([...Object.keys(litellmSettingsSchema.shape), ...HONOURED_LITELLM_KEYS])],
  ['router_settings', new Set(Object.keys(routerSettingsSchema.shape))],
  ['general_settings', new Set(Object.keys(generalSettingsSchema.shape))],
];

/** LiteLLM's `environment_variables` section is read when resolving `os.environ/` references. */
const HONOURED_SECTIONS = new Set([...Object.keys(configSchema.shape), 'environment_variables']);

export interface InertSetting {
  /** Dotted path of the key, `general_settings.database_url`. */
  readonly path: string;
  readonly warning: string;
}

/** Every key present that has no effect here; an unset `os.environ/` under one of them does not stop the start. */
export function inertSettings(document: Readonly<Record<string, unknown>>): InertSetting[] {
  const found: InertSetting[] = [];
  for (const key of Object.keys(document)) {
    if (!HONOURED_SECTIONS.has(key)) found.push({ path: key, warning: `${key}: accepted without effect for speech` });
  }
  for (const [section, honoured] of SECTIONS) {
    const value = document[section];
    if (!isRecord(value)) continue;
    for (const key of Object.keys(value)) {
      if (honoured.has(key)) continue;
      const path = `${section}.${key}`;
      found.push({ path, warning: `${path}: accepted without effect for speech${REASONS[path] === undefined ? '' : ` (${REASONS[path]})`}` });
    }
  }
  return found;
}
