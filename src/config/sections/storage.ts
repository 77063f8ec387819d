import { z } from 'zod';

/**
 * Where job audio lives. `filesystem` (the default) keeps files under `path` and the API
 * serves them through signed, expiring URLs; `s3` talks to any S3-compatible endpoint.
 * Credentials come through `os.environ/NAME` references like every other secret.
 */
export const storageSettingsSchema = z
  .looseObject({
    driver: z.enum(['filesystem', 's3']).default('filesystem'),
    path: z.string().min(1).default('data/audio'),
    bucket: z.string().min(1).optional(),
    endpoint: z.url().optional(),
    region: z.string().min(1).default('us-east-1'),
    access_key_id: z.string().min(1).optional(),
    secret_access_key: z.string().min(1).optional(),
    force_path_style: z.boolean().default(true),
    /** The base of audio URLs; without it the URL of the request that created the job is used. */
    public_base_url: z.url().optional(),
    url_expiry_seconds: z.number().int().positive().max(604_800).default(3600),
    /** HMAC key for filesystem download URLs; without it one is generated and kept beside the audio. */
    signing_secret: z.string().min(16).optional(),
  })
  .superRefine((settings, context) => {
    if (settings.driver === 's3' && settings.bucket === undefined) {
      context.addIssue({ code: 'custom', path: ['bucket'], message: 'is required with driver "s3"' });
    }
    if ((settings.access_key_id === undefined) !== (settings.secret_access_key === undefined)) {
      context.addIssue({ code: 'custom', path: ['secret_access_key'], message: 'access_key_id and secret_access_key go together' });
    }
  });
export type StorageSettings = z.infer<typeof storageSettingsSchema>;
