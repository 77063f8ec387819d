import { spawn } from 'node:child_process';
import { requireExecutable } from './tools.js';

export interface ProbedAudio {
  readonly formatName: string;
  readonly codec: string;
  readonly sampleRate: number;
  readonly channels: number;
  /** Seconds, from decoding every packet (streamed files often carry no length in their header). */
  readonly duration: number;
}

/** Decodes audio with the real ffprobe; rejects when ffprobe cannot read it. */
export async function probeAudio(bytes: Uint8Array, inputFormat?: string): Promise<ProbedAudio> {
  const args = [
    '-v',
    'error',
    ...(inputFormat === undefined ? [] : inputFormat === 'pcm' ? ['-f', 's16le', '-ar', '24000', '-ac', '1'] : ['-f', inputFormat]),
    '-count_packets',
    '-show_entries',
    'format=format_name,duration:stream=codec_name,sample_rate,channels,duration',
    '-of',
    'json',
    '-i',
    'pipe:0',
  ];
  const output = await run(requireExecutable('ffprobe'), args, bytes);
  const parsed = JSON.parse(output) as {
    format?: { format_name?: string; duration?: string };
    streams?: Array<{ codec_name?: string; sample_rate?: string; channels?: number; duration?: string }>;
  };
  const stream = parsed.streams?.[0];
  if (stream === undefined) throw new Error('ffprobe found no audio stream');
  return {
    formatName: parsed.format?.format_name ?? '',
    codec: stream.codec_name ?? '',
    sampleRate: Number(stream.sample_rate),
    channels: stream.channels ?? 0,
    duration: await decodedDuration(bytes, inputFormat),
  };
}

/** Duration by decoding the whole stream to pcm: exact even when the container header lies. */
export async function decodedDuration(bytes: Uint8Array, inputFormat?: string): Promise<number> {
  const input = inputFormat === 'pcm' ? ['-f', 's16le', '-ar', '24000', '-ac', '1'] : inputFormat === undefined ? [] : ['-f', inputFormat];
  const pcm = await runBinary(
    requireExecutable('ffmpeg'),
    ['-v', 'error', ...input, '-i', 'pipe:0', '-f', 's16le', '-ac', '1', '-ar', '24000', 'pipe:1'],
    bytes,
  );
  return pcm.length / 2 / 24_000;
}

function run(command: string, args: string[], input: Uint8Array): Promise<string> {
  return runBinary(command, args, input).then((output) => output.toString('utf8'));
}

function runBinary(command: string, args: string[], input: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on('error', () => undefined);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`${command} exited ${code}: ${stderr}`))));
    child.stdin.end(input);
  });
}
