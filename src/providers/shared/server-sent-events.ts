/**
 * The `data` of each event in a text/event-stream body (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 * lines split on CRLF, LF or CR, multi-line data joined with `\n`, comments and other fields
 * skipped. Fed chunk by chunk as they arrive; each call returns the events it completed.
 */
export class ServerSentEventParser {
  readonly #decoder = new TextDecoder();
  #buffer = '';
  #data: string[] | undefined;

  push(chunk: Uint8Array): string[] {
    this.#buffer += this.#decoder.decode(chunk, { stream: true });
    // A trailing CR may be the first half of a CRLF: keep it until the next chunk.
    const lines = this.#buffer.split(/\r\n|\n|\r(?!$)/);
    this.#buffer = lines.pop() ?? '';
    return this.#take(lines);
  }

  /** The body ended: what is left, including a last event without its closing blank line. */
  end(): string[] {
    const rest = this.#buffer + this.#decoder.decode();
    this.#buffer = '';
    return this.#take([...rest.split(/\r\n|\n|\r/), '']);
  }

  #take(lines: readonly string[]): string[] {
    const completed: string[] = [];
    for (const line of lines) {
      if (line === '') {
        if (this.#data !== undefined) completed.push(this.#data.join('\n'));
        this.#data = undefined;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      if (field !== 'data') continue;
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      (this.#data ??= []).push(value);
    }
    return completed;
  }
}

/** The events of a whole stream of chunks, for readers that consume one as an iterable. */
export async function* serverSentEventData(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const parser = new ServerSentEventParser();
  for await (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
}
