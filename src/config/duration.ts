/**
 * LiteLLM's duration strings (`30s`, `15m`, `1h`, `30d`, `2w`, `1mo`), used for key expiry and
 * budget resets. A month is counted as 30 days so that a budget window has a fixed length.
 */
const DURATION = /^(\d+)\s*(s|m|h|d|w|mo)$/;

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  mo: 30 * 86_400_000,
};

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (match === null) return undefined;
  const amount = Number(match[1]);
  const unit = UNIT_MS[match[2] ?? ''];
  if (unit === undefined || amount <= 0) return undefined;
  return amount * unit;
}

export const DURATION_HINT = 'must be a duration such as "30s", "15m", "1h", "30d", "2w" or "1mo"';
