import type { JobDefinition } from '../../src/jobs/job-records.js';

/** A job's definition as the service writes it, for tests that drive the job store directly. */
export function jobDefinition(fields: Pick<JobDefinition, 'id'> & Partial<JobDefinition>): JobDefinition {
  return {
    keyId: 'master',
    model: 'tts-1',
    format: 'pcm',
    total: 1,
    createdAt: 1_700_000_000,
    concatenate: false,
    metadata: null,
    baseUrl: 'http://127.0.0.1',
    webhook: null,
    requestId: 'req_test',
    ...fields,
  };
}
