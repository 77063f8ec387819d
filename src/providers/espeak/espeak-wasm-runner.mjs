// Runs the espeak-ng WASM build as a command: text on stdin, WAV on stdout.
// Usage: node espeak-wasm-runner.mjs <voice> <words-per-minute>
// The text is handed over as a file in the module's memory filesystem, never in argv: the
// WASM build overflows its stack on long argv text without reporting it.
import ESpeakNg from 'espeak-ng';

const [voice, wordsPerMinute] = process.argv.slice(2);
if (!voice || !wordsPerMinute) {
  process.stderr.write('usage: espeak-wasm-runner.mjs <voice> <words-per-minute>\n');
  process.exit(2);
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const text = Buffer.concat(chunks);

const errors = [];
const module = await ESpeakNg({
  arguments: ['-b', '1', '-v', voice, '-s', wordsPerMinute, '-f', '/input.txt', '-w', '/output.wav'],
  preRun: [(instance) => instance.FS.writeFile('/input.txt', text)],
  print: () => {},
  printErr: (line) => errors.push(line),
});

let audio;
try {
  audio = module.FS.readFile('/output.wav');
} catch {
  audio = undefined;
}
// An output with no samples past the 44-byte header means espeak failed, whatever it returned.
if (!audio || audio.length <= 44) {
  process.stderr.write(`${errors.join('\n') || 'espeak-ng produced no audio'}\n`);
  process.exit(1);
}
process.stdout.write(audio, () => process.exit(0));
