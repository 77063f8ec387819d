/** Queue names (BullMQ forbids ':' in them); `job_settings.redis_prefix` namespaces them in Redis. */
export const QUEUE_NAMES = {
  control: 'speech-control',
  items: 'speech-items',
  webhooks: 'speech-webhooks',
} as const;

/** Deterministic BullMQ ids: adding the same work twice is a no-op while the first is kept. */
export const queueJobIds = {
  dispatch: (jobId: string): string => `dispatch-${jobId}`,
  finalise: (jobId: string): string => `finalise-${jobId}`,
  expire: (jobId: string): string => `expire-${jobId}`,
  item: (jobId: string, index: number): string => `${jobId}-${index}`,
  webhook: (eventId: string): string => `webhook-${eventId}`,
};

/**
 * BullMQ's key prefix: the configured prefix as a hash tag (`{tts-gateway}`), as BullMQ asks
 * for on a Redis Cluster, since its scripts touch several keys of a queue at once. The queues
 * then live on one master (a queue cannot be split); job records, router state and spend are
 * tagged finer and spread over the others.
 */
export function queuePrefix(prefix: string): string {
  return `{${prefix}}`;
}
