import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../src/logging/logger.js';

export interface LogSink {
  /** Where the logger writes: one JSON object per line. */
  readonly stream: Writable;
  /** Every line written so far, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** Every line as written, to look for what must never be logged. */
  readonly rawLogs: string[];
}

/** A stream a pino logger writes to, keeping every line so a test can read what was logged. */
function createLogSink(): LogSink {
  const logs: Array<Record<string, unknown>> = [];
  const rawLogs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        rawLogs.push(line);
        logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });
  return { stream, logs, rawLogs };
}

/** The application's logger writing into a sink the test reads. */
export function testLogger(level: 'info' | 'debug' = 'info'): LogSink & { readonly logger: Logger } {
  const sink = createLogSink();
  return { ...sink, logger: createLogger(level, sink.stream) };
}
