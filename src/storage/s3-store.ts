import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { assertValidKey, type ObjectStore } from './object-store.js';

export interface S3StoreOptions {
  readonly bucket: string;
  readonly region: string;
  readonly endpoint?: string;
  readonly forcePathStyle: boolean;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * Any S3-compatible store. Uploads stream in parts (nothing is buffered whole); URLs are
 * presigned GETs, so they work without our API key and expire on their own.
 */
export function createS3Store(options: S3StoreOptions): ObjectStore & { close(): void } {
  const client = new S3Client({
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: { ...options.credentials } }),
    // The SDK's default CRC checksums on streamed uploads use trailers that several
    // S3-compatible servers (s3rver, older MinIO) store as part of the object.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    driver: 's3',
    async put(key, body, { contentType }) {
      assertValidKey(key);
      let bytes = 0;
      const counted = async function* (): AsyncGenerator<Uint8Array> {
        for await (const chunk of body) {
          bytes += chunk.length;
          yield chunk;
        }
      };
      // A multipart upload only becomes an object when completed, so a dead writer leaves none.
      const upload = new Upload({ client, params: { Bucket: options.bucket, Key: key, Body: Readable.from(counted()), ContentType: contentType } });
      await upload.done();
      return { bytes };
    },
    async get(key) {
      assertValidKey(key);
      try {
        const result = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }));
        if (result.Body === undefined) return undefined;
        return { body: result.Body as Readable, bytes: result.ContentLength, contentType: result.ContentType ?? 'application/octet-stream' };
      } catch (error) {
        if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) return undefined;
        throw error;
      }
    },
    async delete(key) {
      assertValidKey(key);
      await client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: key }));
    },
    async url(key, { expiresInSeconds }) {
      assertValidKey(key);
      return getSignedUrl(client, new GetObjectCommand({ Bucket: options.bucket, Key: key }), { expiresIn: expiresInSeconds });
    },
    close: () => client.destroy(),
  };
}
