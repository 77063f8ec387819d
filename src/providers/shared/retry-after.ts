/** The one method of WHATWG `Headers` read here; undici's parsed headers are read through it too. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * Every way providers say "try again later", read in one place. Returns milliseconds.
 * - `retry-after-ms`: OpenAI, Azure OpenAI (float milliseconds)
 * - `retry-after`: seconds or an HTTP date (RFC 9110), most providers
 * - `x-ratelimit-reset-requests` / `-tokens`: OpenAI durations such as `1s`, `6m0s`, `20ms`
 * - `x-ratelimit-reset`: epoch seconds (ElevenLabs' SDK honours it)
 */
export function parseRetryAfter(headers: HeaderReader, now: number = Date.now(), options: { readonly rateLimited?: boolean } = {}): number | undefined {
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null) {
    const value = Number.parseFloat(milliseconds);
    if (Number.isFinite(value) && value >= 0) return Math.round(value);
  }
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter.trim());
    if (retryAfter.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  // Rate-limit windows describe quota, not an outage: on a 5xx they would suggest a wait nobody asked for.
  if (options.rateLimited === false) return undefined;
  for (const name of ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']) {
    const value = headers.get(name);
    const parsed = value === null ? undefined : parseResetDuration(value);
    if (parsed !== undefined) return parsed;
  }
  const reset = headers.get('x-ratelimit-reset');
  if (reset !== null) {
    const epochSeconds = Number(reset);
    if (Number.isFinite(epochSeconds) && epochSeconds > 1e9) return Math.max(0, epochSeconds * 1000 - now);
  }
  return undefined;
}

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;

/** Go-style durations as OpenAI sends them: `1s`, `6m0s`, `1h2m3.5s`, `20ms`. */
export function parseResetDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(DURATION_PART)) {
    const value = Number.parseFloat(match[1] as string);
    const unit = match[2];
    total += unit === 'h' ? value * 3_600_000 : unit === 'm' ? value * 60_000 : unit === 's' ? value * 1000 : value;
    consumed += match[0].length;
  }
  return consumed === trimmed.length ? Math.round(total) : undefined;
}

/** Google's `RetryInfo.retryDelay` and similar protobuf durations: `"37s"`, `"1.5s"`. */
export function parseProtobufDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)s$/.exec(text.trim());
  return match ? Math.round(Number.parseFloat(match[1] as string) * 1000) : undefined;
}
