import { join } from 'node:path';
import type { StorageSettings } from '../config/sections/storage.js';
import { createFilesystemStore } from './filesystem-store.js';
import type { ObjectStore } from './object-store.js';
import { createS3Store } from './s3-store.js';
import { createUrlSigner, persistentSecret, type UrlSigner } from './url-signing.js';

export interface ConfiguredStore {
  readonly store: ObjectStore;
  /** Verifies filesystem download URLs; absent for S3, whose URLs S3 itself checks. */
  readonly signer: UrlSigner | undefined;
}

/** The store `storage_settings` describes. */
export function createObjectStore(settings: StorageSettings, now: () => number): ConfiguredStore {
  if (settings.driver === 's3') {
    const store = createS3Store({
      bucket: settings.bucket ?? '',
      region: settings.region,
      forcePathStyle: settings.force_path_style,
      ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
      ...(settings.access_key_id === undefined || settings.secret_access_key === undefined
        ? {}
        : { credentials: { accessKeyId: settings.access_key_id, secretAccessKey: settings.secret_access_key } }),
    });
    return { store, signer: undefined };
  }
  const signer = createUrlSigner(persistentSecret(settings.signing_secret, join(settings.path, '.url-signing-secret')));
  return { store: createFilesystemStore({ root: settings.path, signer, now }), signer };
}
