import { z } from 'zod';
import { defineScript } from '../redis/redis-script.js';

/**
 * The state changes that must be atomic. An item changes to a terminal status at most once,
 * and only that change counts, so a retried or duplicated item can never be counted twice.
 * A job's keys share its hash tag, so each script touches one Cluster slot.
 */
export const startItemScript = defineScript(
  new URL('./scripts/start-item.lua', import.meta.url),
  z.union([z.tuple([z.literal('started'), z.string(), z.string().nullable()]), z.tuple([z.literal('gone')]), z.tuple([z.literal('terminal')])]),
);

/** Terminal items after the change, or -1 gone, -2 already completed, -3 cancelled or failed meanwhile. */
export const finishItemScript = defineScript(new URL('./scripts/finish-item.lua', import.meta.url), z.number().int());

/** Items cancelled, or -1 gone, -2 already ended. */
export const cancelJobScript = defineScript(new URL('./scripts/cancel-job.lua', import.meta.url), z.number().int());
