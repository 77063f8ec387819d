import { z } from 'zod';

/** A service-account key file (the fields read; Google's files carry more). */
const serviceAccountSchema = z.looseObject({
  type: z.literal('service_account'),
  client_email: z.string().min(1),
  private_key: z.string().min(1),
  private_key_id: z.string().optional(),
  project_id: z.string().optional(),
  token_uri: z.url().optional(),
});
export type ServiceAccount = z.infer<typeof serviceAccountSchema>;

/** Any other credential file google-auth-library understands (authorized_user, external_account, ...). */
const otherCredentialSchema = z.looseObject({
  type: z.string().min(1),
  project_id: z.string().optional(),
  quota_project_id: z.string().optional(),
});
type OtherCredential = z.infer<typeof otherCredentialSchema>;

export type VertexCredentials =
  | { readonly kind: 'service_account'; readonly account: ServiceAccount }
  | { readonly kind: 'other'; readonly credential: OtherCredential };

/**
 * LiteLLM's `vertex_credentials`: a path to a credentials JSON file, the JSON itself as a string
 * (what LiteLLM's docs produce with `json.dumps`), or the parsed object. Read once when the
 * deployment is built, so a missing or malformed file is a configuration error at start-up
 * rather than a failure on the first request. Messages never quote the file's content.
 */
export function readVertexCredentials(value: string | Record<string, unknown>, readFile: (path: string) => string): VertexCredentials {
  const json = typeof value === 'string' ? parseText(value, readFile) : value;
  const account = serviceAccountSchema.safeParse(json);
  if (account.success) return { kind: 'service_account', account: account.data };
  if (typeof json === 'object' && json !== null && (json as { type?: unknown }).type === 'service_account') {
    const fields = account.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`vertex_credentials: the service account is missing or has invalid fields (${fields})`);
  }
  const other = otherCredentialSchema.safeParse(json);
  if (!other.success) throw new Error('vertex_credentials: not a Google credentials JSON (it has no "type")');
  return { kind: 'other', credential: other.data };
}

function parseText(value: string, readFile: (path: string) => string): unknown {
  const trimmed = value.trim();
  const isInline = trimmed.startsWith('{');
  let text: string;
  if (isInline) text = trimmed;
  else {
    try {
      text = readFile(trimmed);
    } catch (error) {
      throw new Error(`vertex_credentials: cannot read the file "${trimmed}": ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(isInline ? 'vertex_credentials: the inline JSON does not parse' : `vertex_credentials: the file "${trimmed}" is not JSON`);
  }
}

/** The project a credential belongs to, LiteLLM's fallback when `vertex_project` is not set. */
export function credentialProject(credentials: VertexCredentials | undefined): string | undefined {
  if (credentials === undefined) return undefined;
  return credentials.kind === 'service_account'
    ? credentials.account.project_id
    : (credentials.credential.quota_project_id ?? credentials.credential.project_id);
}
