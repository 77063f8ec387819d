import { describe, expect, it } from 'vitest';
import { serverSentEventData } from '../../../../src/providers/shared/server-sent-events.js';

async function eventsOf(...chunks: string[]): Promise<string[]> {
  async function* source(): AsyncGenerator<Uint8Array> {
    for (const chunk of chunks) yield new TextEncoder().encode(chunk);
  }
  const events: string[] = [];
  for await (const data of serverSentEventData(source())) events.push(data);
  return events;
}

describe('serverSentEventData', () => {
  it('yields each event’s data, however the bytes are split', async () => {
    const stream = 'data: {"a":1}\n\ndata: {"b":2}\n\n';
    expect(await eventsOf(stream)).toEqual(['{"a":1}', '{"b":2}']);
    expect(await eventsOf(...stream.split(''))).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('handles CRLF and CR line ends, split across chunks', async () => {
    expect(await eventsOf('data: one\r', '\n\r', '\ndata: two\r\r')).toEqual(['one', 'two']);
  });

  it('joins multi-line data and skips comments and other fields', async () => {
    expect(await eventsOf(': keep-alive\n\nevent: audio\nid: 7\ndata: first\ndata:second\n\n')).toEqual(['first\nsecond']);
  });

  it('keeps a last event that has no blank line after it', async () => {
    expect(await eventsOf('data: one\n\ndata: two')).toEqual(['one', 'two']);
  });

  it('decodes multi-byte characters split between chunks', async () => {
    const bytes = new TextEncoder().encode('data: é\n\n');
    async function* source(): AsyncGenerator<Uint8Array> {
      yield bytes.subarray(0, 7);
      yield bytes.subarray(7);
    }
    const events: string[] = [];
    for await (const data of serverSentEventData(source())) events.push(data);
    expect(events).toEqual(['é']);
  });
});
