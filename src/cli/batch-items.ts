import { basename, extname } from 'node:path';

export type SplitMode = 'file' | 'line' | 'paragraph';

export interface BatchSource {
  /** The file's name as given (`-` for standard input). */
  readonly path: string;
  readonly text: string;
}

export interface BatchItem {
  readonly customId: string;
  readonly input: string;
}

/**
 * The job's items: one per file, or one per line or paragraph of each file. Each item's
 * `custom_id` (and so its downloaded file's name) comes from its file's name, numbered when
 * the file was split; blank lines and paragraphs are skipped.
 */
export function batchItems(sources: readonly BatchSource[], split: SplitMode): BatchItem[] {
  const items: BatchItem[] = [];
  const used = new Set<string>();
  const unique = (id: string): string => {
    let candidate = id;
    for (let suffix = 2; used.has(candidate); suffix += 1) candidate = `${id}-${suffix}`;
    used.add(candidate);
    return candidate;
  };
  for (const source of sources) {
    const stem = source.path === '-' ? 'stdin' : basename(source.path, extname(source.path)) || 'item';
    if (split === 'file') {
      if (source.text.trim() !== '') items.push({ customId: unique(stem), input: source.text.trim() });
      continue;
    }
    const parts = (split === 'line' ? source.text.split(/\r?\n/) : source.text.split(/\r?\n\s*\r?\n/))
      .map((part) => (split === 'line' ? part.trim() : part.replace(/\s*\r?\n\s*/g, ' ').trim()))
      .filter((part) => part !== '');
    const width = String(parts.length).length;
    for (const [index, part] of parts.entries()) items.push({ customId: unique(`${stem}-${String(index + 1).padStart(width, '0')}`), input: part });
  }
  return items;
}
