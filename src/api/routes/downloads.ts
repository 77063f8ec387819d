import { Router as ExpressRouter, type Request, type Response } from 'express';
import { notFound } from '../../domain/errors.js';
import { DOWNLOAD_PATH } from '../../storage/filesystem-store.js';
import { contentTypeOfKey } from '../../storage/keys.js';
import type { ObjectStore } from '../../storage/object-store.js';
import type { UrlSigner } from '../../storage/url-signing.js';
import { sendAudioStream } from '../send-audio.js';

export interface DownloadRouteDependencies {
  readonly store: ObjectStore;
  /** Signs and checks the filesystem driver's download URLs (S3 serves its own). */
  readonly signer: UrlSigner;
  readonly now: () => number;
}

/** Stored audio behind the filesystem driver's signed URLs. */
export function downloadRoutes(dependencies: DownloadRouteDependencies): ExpressRouter {
  const router = ExpressRouter();
  const { signer } = dependencies;
  // The signature is the credential here: holders of a URL need no API key, until it expires.
  router.get(`${DOWNLOAD_PATH}/*key`, async (request: Request, response: Response) => {
    const segments = request.params['key'] as unknown as string[] | string;
    const key = Array.isArray(segments) ? segments.join('/') : segments;
    const expires = Number(request.query['expires']);
    const signature = typeof request.query['signature'] === 'string' ? request.query['signature'] : '';
    const valid = /^[A-Za-z0-9_./-]+$/.test(key) && (await signer.verify(key, expires, signature, dependencies.now()));
    if (!valid) throw notFound('This download link is invalid or has expired.', 'download_link_invalid');
    const object = await dependencies.store.get(key);
    if (object === undefined) throw notFound('This audio no longer exists.', 'audio_not_found');
    response.status(200).setHeader('content-type', contentTypeOfKey(key));
    if (object.bytes !== undefined) response.setHeader('content-length', String(object.bytes));
    await sendAudioStream(response, object.body);
  });
  return router;
}
