/**
 * The `data` of each event in a text/event-stream body (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 * lines split on CRLF, LF or CR, multi-line data joined with `\n`, comments and other fields skipped.
 */
export async function* serverSentEventData(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] | undefined;
  const takeLine = (line: string): string | undefined => {
    if (line === '') {
      const completed = data?.join('\n');
      data = undefined;
      return completed;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') return undefined;
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    (data ??= []).push(value);
    return undefined;
  };
  for await (const chunk of chunks) {
    buffer += decoder.decode(chunk, { stream: true });
    // A trailing CR may be the first half of a CRLF: keep it until the next chunk.
    const lines = buffer.split(/\r\n|\n|\r(?!$)/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      const completed = takeLine(line);
      if (completed !== undefined) yield completed;
    }
  }
  buffer += decoder.decode();
  for (const line of buffer.split(/\r\n|\n|\r/)) {
    const completed = takeLine(line);
    if (completed !== undefined) yield completed;
  }
  // A stream may end without the blank line after its last event.
  const last = takeLine('');
  if (last !== undefined) yield last;
}
