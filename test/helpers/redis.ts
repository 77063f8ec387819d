/** Redis for tests comes from the one place that provides test services (containers or processes). */
export { startTestRedis, type TestRedis } from './services.js';

/** A prefix no other test shares, for queue names and keys. */
export function uniquePrefix(label: string): string {
  return `${label}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}
