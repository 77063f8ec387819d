/**
 * Where job audio is kept. Keys are deterministic (see `keys.ts`), so writing the same key
 * twice replaces the object: a retried item overwrites instead of leaving a duplicate.
 */
export interface ObjectStore {
  readonly driver: 'filesystem' | 's3';
  /** Streams `body` to `key`; the object appears whole or not at all. */
  put(key: string, body: AsyncIterable<Uint8Array>, options: { readonly contentType: string }): Promise<{ readonly bytes: number }>;
  /** The object's bytes as a stream, or undefined when there is no such object. */
  get(key: string): Promise<StoredObject | undefined>;
  /** Removes the object; a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** An absolute URL that fetches the object without an API key until it expires. */
  url(key: string, options: { readonly expiresInSeconds: number; readonly baseUrl: string }): Promise<string>;
  /**
   * Removes what writers that died left half-written and untouched for `olderThanMs`; returns
   * how many. Absent where nothing half-written is ever visible (S3: an unfinished multipart
   * upload is no object, and a bucket lifecycle rule aborts it).
   */
  sweepPartial?(olderThanMs: number): Promise<number>;
}

export interface StoredObject {
  readonly body: AsyncIterable<Uint8Array>;
  readonly bytes: number | undefined;
  readonly contentType: string;
}

const KEY = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$/;

/** Keys are made by the gateway, never by clients; this catches a bug before it reaches a path. */
export function assertValidKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((part) => part === '..' || part === '.')) {
    throw new Error(`invalid storage key "${key}"`);
  }
}
