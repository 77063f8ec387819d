import type { SpendRow } from './spend-row.js';

export const SPEND_GROUPINGS = ['day', 'model', 'api_key', 'end_user'] as const;
export type SpendGrouping = (typeof SPEND_GROUPINGS)[number];

export interface SpendGroup {
  /** The UTC day (`2025-01-31`), model group, key hash or end user; `null` for rows without an end user. */
  readonly group: string | null;
  readonly spend: number;
  readonly requests: number;
  readonly characters: number;
}

/**
 * Sums spend rows by one dimension. Days come out in calendar order (a chart's x axis), every
 * other grouping by spend, largest first.
 */
export function groupSpend(rows: readonly SpendRow[], grouping: SpendGrouping): SpendGroup[] {
  const groups = new Map<string | null, { spend: number; requests: number; characters: number }>();
  for (const row of rows) {
    const group = groupOf(row, grouping);
    const total = groups.get(group) ?? { spend: 0, requests: 0, characters: 0 };
    total.spend += row.spend;
    total.requests += 1;
    total.characters += row.characters;
    groups.set(group, total);
  }
  const result = [...groups].map(([group, total]) => ({
    group,
    spend: Math.round(total.spend * 1e10) / 1e10,
    requests: total.requests,
    characters: total.characters,
  }));
  if (grouping === 'day') return result.sort((left, right) => String(left.group).localeCompare(String(right.group)));
  return result.sort((left, right) => right.spend - left.spend || String(left.group).localeCompare(String(right.group)));
}

function groupOf(row: SpendRow, grouping: SpendGrouping): string | null {
  switch (grouping) {
    case 'day':
      return row.startTime.slice(0, 10);
    case 'model':
      return row.model_group;
    case 'api_key':
      return row.api_key;
    case 'end_user':
      return row.end_user;
  }
}
