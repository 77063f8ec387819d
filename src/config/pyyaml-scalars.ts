import type { ScalarTag } from 'yaml';

/**
 * LiteLLM reads its config with PyYAML (`yaml.safe_load`), which resolves plain scalars by
 * YAML 1.1 rules as PyYAML implements them: `20_000` is an int, `yes`/`off` are booleans,
 * `1e3` (no dot) stays a string, `y`/`n` stay strings. These are PyYAML's implicit resolvers
 * (pyyaml/lib/yaml/resolver.py), so a value means here what it means to LiteLLM.
 */

const withoutUnderscores = (text: string): string => text.replaceAll('_', '');

const nullTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:null',
  default: true,
  test: /^(?:~|null|Null|NULL)?$/,
  resolve: () => null,
};

const boolTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:bool',
  default: true,
  test: /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  resolve: (text) => /^(?:yes|true|on)$/i.test(text),
};

/** Base-60 (`1:30` is 90), as PyYAML still reads it. */
function sexagesimal(text: string, parse: (part: string) => number): number {
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.replace(/^[-+]/, '');
  return sign * digits.split(':').reduce((total, part) => total * 60 + parse(part), 0);
}

const intTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  resolve(text) {
    const clean = withoutUnderscores(text);
    if (clean.includes(':')) return sexagesimal(clean, (part) => Number.parseInt(part, 10));
    const sign = clean.startsWith('-') ? -1 : 1;
    const digits = clean.replace(/^[-+]/, '');
    if (digits.startsWith('0b')) return sign * Number.parseInt(digits.slice(2), 2);
    if (digits.startsWith('0x')) return sign * Number.parseInt(digits.slice(2), 16);
    if (digits.length > 1 && digits.startsWith('0')) return sign * Number.parseInt(digits.slice(1), 8);
    return sign * Number.parseInt(digits, 10);
  },
};

const floatTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  test: /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  resolve(text) {
    const clean = withoutUnderscores(text);
    if (/\.nan$/i.test(clean)) return Number.NaN;
    if (/\.inf$/i.test(clean)) return clean.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    if (clean.includes(':')) return sexagesimal(clean, (part) => Number.parseFloat(part));
    return Number.parseFloat(clean);
  },
};

/** The scalar tags to use with the `failsafe` schema (strings, maps, sequences). */
export const pyyamlScalarTags: readonly ScalarTag[] = [nullTag, boolTag, intTag, floatTag];
