import type { ObjectStore } from '../storage/object-store.js';
import type { ItemState, JobStatus, StoredAudio } from './job-records.js';
import type { JobSnapshot } from './job-store.js';

/** An audio file as clients see it: an absolute URL that needs no API key, until it expires. */
interface AudioView {
  readonly url: string;
  readonly content_type: string;
  readonly bytes: number;
  readonly duration_seconds: number | null;
  readonly expires_at: number;
}

export interface ItemView {
  readonly index: number;
  readonly custom_id: string | null;
  readonly status: ItemState['status'];
  readonly audio: AudioView | null;
  readonly characters: number;
  readonly cost_usd: number | null;
  readonly deployment: string | null;
  readonly provider: string | null;
  readonly attempts: number;
  readonly error: { readonly code: string; readonly message: string } | null;
}

/** The job object of the public contract (docs/jobs.md). */
export interface JobView {
  readonly id: string;
  readonly object: 'speech.job';
  readonly model: string;
  readonly status: JobStatus;
  readonly request_counts: { readonly total: number; readonly completed: number; readonly failed: number; readonly cancelled: number };
  readonly items: readonly ItemView[];
  readonly usage: { readonly characters: number; readonly cost_usd: number };
  readonly concatenated_audio: AudioView | null;
  readonly created_at: number;
  readonly started_at: number | null;
  readonly completed_at: number | null;
  readonly expires_at: number | null;
  readonly metadata: Record<string, string> | null;
  readonly webhook: WebhookView | null;
}

interface WebhookView {
  readonly url: string;
  readonly status: 'pending' | 'delivering' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly last_status: number | null;
  readonly last_error: string | null;
  readonly last_attempt_at: number | null;
  readonly delivered_at: number | null;
  /** Every delivery attempt (the latest twenty), oldest first; `attempted_at` in epoch seconds. */
  readonly deliveries: ReadonlyArray<{
    readonly attempt: number;
    readonly attempted_at: number;
    readonly status: number | null;
    readonly error: string | null;
    readonly outcome: 'delivered' | 'retrying' | 'failed' | 'refused';
  }>;
  /** Only in the answer to the request that created the job, when the gateway made the secret. */
  readonly secret?: string;
}

export interface JobViewDependencies {
  readonly store: ObjectStore;
  readonly urlExpirySeconds: number;
  readonly now: () => number;
}

export async function renderJob(snapshot: JobSnapshot, dependencies: JobViewDependencies): Promise<JobView> {
  const { definition } = snapshot;
  const nowSeconds = Math.floor(dependencies.now() / 1000);
  // A URL never outlives the audio it points to.
  const expiresIn = Math.max(1, Math.min(dependencies.urlExpirySeconds, snapshot.expiresAt === null ? Infinity : snapshot.expiresAt - nowSeconds));
  const audioView = async (audio: StoredAudio | undefined): Promise<AudioView | null> => {
    if (audio === undefined) return null;
    const url = await dependencies.store.url(audio.key, { expiresInSeconds: expiresIn, baseUrl: definition.baseUrl });
    return { url, content_type: audio.contentType, bytes: audio.bytes, duration_seconds: audio.durationSeconds, expires_at: nowSeconds + expiresIn };
  };
  let characters = 0;
  let costUsd = 0;
  const items: ItemView[] = [];
  for (const [index, spec] of snapshot.specs.entries()) {
    const state = snapshot.states.get(index);
    const itemCharacters = state?.characters ?? spec.input.length;
    if (state?.status === 'completed') {
      characters += itemCharacters;
      costUsd += state.costUsd ?? 0;
    }
    items.push({
      index,
      custom_id: spec.customId,
      status: state?.status ?? 'queued',
      audio: state?.status === 'completed' ? await audioView(state.audio) : null,
      characters: itemCharacters,
      cost_usd: state?.costUsd ?? null,
      deployment: state?.deployment ?? null,
      provider: state?.provider ?? null,
      attempts: state?.attempts ?? 0,
      error: state?.error ?? null,
    });
  }
  const webhook = definition.webhook;
  return {
    id: definition.id,
    object: 'speech.job',
    model: definition.model,
    status: snapshot.status,
    request_counts: { total: definition.total, ...snapshot.counts },
    items,
    usage: { characters, cost_usd: Math.round(costUsd * 1e10) / 1e10 },
    concatenated_audio: snapshot.concatenated === null ? null : await audioView(snapshot.concatenated),
    created_at: definition.createdAt,
    started_at: snapshot.startedAt,
    completed_at: snapshot.completedAt,
    expires_at: snapshot.expiresAt,
    metadata: definition.metadata,
    webhook:
      webhook === null
        ? null
        : {
            url: webhook.url,
            status: snapshot.webhook?.state ?? 'pending',
            attempts: snapshot.webhook?.attempts ?? 0,
            last_status: snapshot.webhook?.lastStatus ?? null,
            last_error: snapshot.webhook?.lastError ?? null,
            last_attempt_at: snapshot.webhook?.lastAttemptAt ?? null,
            delivered_at: snapshot.webhook?.deliveredAt ?? null,
            deliveries: (snapshot.webhook?.history ?? []).map((entry) => ({
              attempt: entry.attempt,
              attempted_at: entry.at,
              status: entry.status,
              error: entry.error,
              outcome: entry.outcome,
            })),
          },
  };
}
