import type { Readable } from 'node:stream';

/**
 * Calls `onRecord` with each JSON line a process writes to `stream` (its pino log), as the lines
 * complete; a chunk may end mid-line. Lines that are not JSON are passed over.
 */
export function onJsonLines(stream: Readable | null | undefined, onRecord: (record: Record<string, unknown>) => void): void {
  let buffered = '';
  stream?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        continue;
      }
      if (typeof record === 'object' && record !== null) onRecord(record as Record<string, unknown>);
    }
  });
}
