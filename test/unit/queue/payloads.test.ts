import { describe, expect, it } from 'vitest';
import { queueJobIds } from '../../../src/queue/names.js';
import { controlPayloadSchema, itemPayloadSchema, webhookPayloadSchema } from '../../../src/queue/payloads.js';

const jobId = 'job_0123456789abcdef01234567';

describe('queue payloads', () => {
  it('accept ids only, and refuse anything else a deploy might have left', () => {
    expect(itemPayloadSchema.parse({ jobId, index: 3 })).toEqual({ jobId, index: 3 });
    expect(() => itemPayloadSchema.parse({ jobId, index: -1 })).toThrow();
    expect(() => itemPayloadSchema.parse({ jobId: 'job_x', index: 0 })).toThrow();
    expect(controlPayloadSchema.parse({ kind: 'finalise', jobId })).toEqual({ kind: 'finalise', jobId });
    expect(() => controlPayloadSchema.parse({ kind: 'explode', jobId })).toThrow();
    expect(() => webhookPayloadSchema.parse({ jobId, eventId: 'msg_1', type: 'speech.job.done', createdAt: 1 })).toThrow();
  });

  it('make deterministic BullMQ ids without colons', () => {
    expect(queueJobIds.item(jobId, 7)).toBe(`${jobId}-7`);
    expect(queueJobIds.item(jobId, 7)).toBe(queueJobIds.item(jobId, 7));
    for (const id of [queueJobIds.dispatch(jobId), queueJobIds.finalise(jobId), queueJobIds.expire(jobId), queueJobIds.webhook(`msg_${jobId}_completed`)])
      expect(id).not.toContain(':');
  });
});
