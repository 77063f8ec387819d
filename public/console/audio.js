// Playing speech as it arrives: MediaSource for mp3 (Chromium, Safari 17+, Firefox); every
// other format, and browsers without MediaSource, play from a blob once the download ends.
export const MEDIA_TYPES = { mp3: 'audio/mpeg', opus: 'audio/ogg', aac: 'audio/aac', flac: 'audio/flac', wav: 'audio/wav', pcm: 'audio/wav' };

/**
 * Reads `response` into `audio`, streaming when the browser can. Resolves with the bytes as a
 * Blob (for download) and the time of the first byte, once the last byte has arrived.
 */
export async function playResponse(response, format, audio, { onFirstByte, autoplay = true } = {}) {
  const reader = response.body.getReader();
  const chunks = [];
  let firstByteAt;
  const noteFirst = () => {
    if (firstByteAt === undefined) {
      firstByteAt = performance.now();
      onFirstByte?.(firstByteAt);
    }
  };
  const streamable = format === 'mp3' && typeof MediaSource !== 'undefined' && MediaSource.isTypeSupported('audio/mpeg');
  if (streamable) {
    // Says how it played, for people and tests alike: 'stream' while bytes still arrive, else 'file'.
    audio.dataset.playback = 'stream';
    const source = new MediaSource();
    const url = URL.createObjectURL(source);
    audio.src = url;
    await new Promise((resolve) => source.addEventListener('sourceopen', resolve, { once: true }));
    const buffer = source.addSourceBuffer('audio/mpeg');
    const append = (chunk) => new Promise((resolve, reject) => {
      buffer.addEventListener('updateend', resolve, { once: true });
      buffer.addEventListener('error', reject, { once: true });
      buffer.appendBuffer(chunk);
    });
    let started = false;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      noteFirst();
      chunks.push(value);
      await append(value);
      if (!started && autoplay) {
        started = true;
        audio.play().catch(() => undefined);
      }
    }
    if (source.readyState === 'open') source.endOfStream();
    return { blob: new Blob(chunks, { type: MEDIA_TYPES.mp3 }), firstByteAt };
  }
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    noteFirst();
    chunks.push(value);
  }
  audio.dataset.playback = 'file';
  const blob = format === 'pcm' ? wavFromPcm(chunks) : new Blob(chunks, { type: MEDIA_TYPES[format] ?? 'application/octet-stream' });
  audio.src = URL.createObjectURL(blob);
  if (autoplay) audio.play().catch(() => undefined);
  return { blob: format === 'pcm' ? new Blob(chunks, { type: 'audio/pcm' }) : blob, firstByteAt };
}

/** Raw pcm is OpenAI's 24 kHz 16-bit mono; a browser plays it only inside a WAV header. */
function wavFromPcm(chunks) {
  const length = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  const header = new DataView(new ArrayBuffer(44));
  const text = (offset, value) => [...value].forEach((character, index) => header.setUint8(offset + index, character.charCodeAt(0)));
  text(0, 'RIFF');
  header.setUint32(4, 36 + length, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  header.setUint32(16, 16, true);
  header.setUint16(20, 1, true);
  header.setUint16(22, 1, true);
  header.setUint32(24, 24000, true);
  header.setUint32(28, 48000, true);
  header.setUint16(32, 2, true);
  header.setUint16(34, 16, true);
  text(36, 'data');
  header.setUint32(40, length, true);
  return new Blob([header.buffer, ...chunks], { type: 'audio/wav' });
}
