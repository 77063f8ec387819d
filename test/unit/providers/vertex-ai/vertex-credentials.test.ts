import { describe, expect, it } from 'vitest';
import { credentialProject, readVertexCredentials } from '../../../../src/providers/vertex-ai/vertex-credentials.js';

const account = {
  type: 'service_account',
  project_id: 'proj-1',
  private_key_id: 'k1',
  private_key: '-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n',
  client_email: 'sa@proj-1.iam.gserviceaccount.com',
  token_uri: 'https://oauth2.googleapis.com/token',
};
const noFile = (path: string): string => {
  throw new Error(`unexpected read of ${path}`);
};

describe('readVertexCredentials', () => {
  it('reads a path to a key file', () => {
    const read: string[] = [];
    const credentials = readVertexCredentials(' /secrets/sa.json ', (path) => {
      read.push(path);
      return JSON.stringify(account);
    });
    expect(read).toEqual(['/secrets/sa.json']);
    expect(credentials).toEqual({
      kind: 'service_account',
      account: expect.objectContaining({ client_email: account.client_email, token_uri: account.token_uri }),
    });
    expect(credentialProject(credentials)).toBe('proj-1');
  });

  it('reads the JSON itself as a string, and as an object', () => {
    expect(readVertexCredentials(JSON.stringify(account), noFile).kind).toBe('service_account');
    expect(readVertexCredentials(account, noFile).kind).toBe('service_account');
  });

  it('keeps other credential types for google-auth-library, with their quota project', () => {
    const credentials = readVertexCredentials(
      { type: 'authorized_user', client_id: 'c', client_secret: 's', refresh_token: 'r', quota_project_id: 'billing-proj' },
      noFile,
    );
    expect(credentials.kind).toBe('other');
    expect(credentialProject(credentials)).toBe('billing-proj');
  });

  it('names the missing fields of a service account without quoting the key', () => {
    const { private_key: _key, ...withoutKey } = account;
    expect(() => readVertexCredentials({ ...withoutKey, client_email: '' }, noFile)).toThrow(/client_email, private_key/);
    expect(() => readVertexCredentials({ ...account, client_email: '' }, noFile)).not.toThrow(/BEGIN PRIVATE KEY/);
  });

  it('explains unreadable and malformed input', () => {
    expect(() =>
      readVertexCredentials('/missing.json', () => {
        throw new Error('ENOENT');
      }),
    ).toThrow('cannot read the file "/missing.json": ENOENT');
    expect(() => readVertexCredentials('/bad.json', () => 'not json')).toThrow('is not JSON');
    expect(() => readVertexCredentials('{"type": ', noFile)).toThrow('inline JSON does not parse');
    expect(() => readVertexCredentials({ private_key: 'x' }, noFile)).toThrow('has no "type"');
  });
});
