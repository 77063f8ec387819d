import { isRecord } from './litellm-settings.js';
import { classifyModel } from './speech-models.js';

const REFERENCE = /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/;

export interface ModelSelection {
  /** The speech entries with their index in the file; undefined when the file has no list to select from. */
  readonly kept: ReadonlyArray<{ readonly entry: unknown; readonly index: number }> | undefined;
  /** Groups left out entirely (none of their deployments is a speech model). */
  readonly skippedGroups: ReadonlySet<string>;
  readonly warnings: readonly string[];
}

/**
 * Splits `model_list` into the speech models served here and the rest. A left-out entry is
 * not validated further (a chat model's placeholder `api_base` or unset key must not stop the
 * start); an entry too broken to classify is kept, so the schema says what is wrong with it.
 */
export function partitionModelList(list: unknown, environment: Readonly<Record<string, string | undefined>>): ModelSelection {
  if (!Array.isArray(list)) {
    const warnings = list === undefined || list === null ? ['model_list: no speech model is configured; the service lists no models'] : [];
    return { kept: list === undefined || list === null ? [] : undefined, skippedGroups: new Set(), warnings };
  }
  const kept: Array<{ entry: unknown; index: number }> = [];
  const skipped = new Map<string, { indexes: number[]; models: string[]; reason: string }>();
  const servedGroups = new Set<string>();
  list.forEach((entry: unknown, index) => {
    const model = modelOf(entry, environment);
    const name = isRecord(entry) ? entry['model_name'] : undefined;
    if (model === undefined || typeof name !== 'string' || name === '') {
      kept.push({ entry, index });
      return;
    }
    const info = isRecord(entry) && isRecord(entry['model_info']) ? entry['model_info'] : {};
    const params = isRecord(entry) && isRecord(entry['litellm_params']) ? entry['litellm_params'] : {};
    const verdict = classifyModel(model, info['mode'], params);
    if (verdict.speech) {
      kept.push({ entry, index });
      servedGroups.add(name);
      return;
    }
    const group = skipped.get(name) ?? { indexes: [], models: [], reason: verdict.reason };
    group.indexes.push(index);
    group.models.push(model);
    skipped.set(name, group);
  });
  const warnings = [...skipped.entries()].map(([name, group]) => {
    const where = group.indexes.map((index) => `model_list.${index}`).join(', ');
    const what = [...new Set(group.models)].map((model) => `"${model}"`).join(', ');
    const subject = servedGroups.has(name) ? `deployment(s) ${what} of model group "${name}" are` : `model group "${name}" (${what}) is`;
    return `${where}: ${subject} not served: not a speech model (${group.reason}); set model_info.mode: audio_speech to serve it as one`;
  });
  if (kept.length === 0) warnings.push('model_list: no speech model is configured; the service lists no models');
  const skippedGroups = new Set([...skipped.keys()].filter((name) => !servedGroups.has(name)));
  return { kept, skippedGroups, warnings };
}

function modelOf(entry: unknown, environment: Readonly<Record<string, string | undefined>>): string | undefined {
  if (!isRecord(entry) || !isRecord(entry['litellm_params'])) return undefined;
  const model = entry['litellm_params']['model'];
  if (typeof model !== 'string' || model === '') return undefined;
  const reference = REFERENCE.exec(model.trim());
  if (reference === null) return model;
  return environment[reference[1] as string] || undefined;
}
