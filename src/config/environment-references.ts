/**
 * LiteLLM configs name secrets as `os.environ/NAME`. This walks a parsed YAML document and
 * replaces every such string with the variable's value, collecting the ones that are unset.
 */
const REFERENCE = /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/;

export interface ReferenceProblem {
  readonly path: string;
  readonly variable: string;
}

export function resolveEnvironmentReferences(
  document: unknown,
  environment: Readonly<Record<string, string | undefined>>,
): { readonly value: unknown; readonly problems: readonly ReferenceProblem[]; readonly resolvedPaths: ReadonlySet<string> } {
  const problems: ReferenceProblem[] = [];
  // Where a variable's text now stands: it may need reading as a number or a boolean, as LiteLLM does with `rpm: os.environ/RPM`.
  const resolvedPaths = new Set<string>();
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') {
      const match = REFERENCE.exec(node.trim());
      if (!match) return node;
      const variable = match[1] as string;
      const value = environment[variable];
      if (value === undefined || value === '') {
        problems.push({ path, variable });
        return undefined;
      }
      resolvedPaths.add(path);
      return value;
    }
    if (Array.isArray(node)) return node.map((item, index) => walk(item, joinPath(path, index)));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, joinPath(path, key))]));
    }
    return node;
  };
  return { value: walk(document, ''), problems, resolvedPaths };
}

function joinPath(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${String(key)}`;
}
