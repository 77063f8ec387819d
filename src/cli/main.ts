#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { RESPONSE_FORMATS } from '../audio/formats.js';
import { batch } from './batch.js';
import { CommandFailed, describeCliError, type CliIo } from './cli-output.js';
import { say } from './say.js';
import { voices } from './voices.js';

/**
 * `tts-gateway`: the command line. `serve` runs the service exactly as `npm start` does; `say`,
 * `batch` and `voices` use the library (in this process, or against a server with `--url`).
 */
const DEFAULT_URL = 'http://127.0.0.1:4000';

function speedOption(value: string): string {
  const speed = Number(value);
  if (!Number.isFinite(speed) || speed < 0.25 || speed > 4) throw new InvalidArgumentError('must be a number from 0.25 to 4');
  return value;
}

export function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('tts-gateway')
    .description('Text-to-speech gateway: serve the API, speak a text, run a batch job, list voices.')
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError();
  const url = io.environment['TTS_GATEWAY_URL'];
  const format = () => new Option('--format <format>', 'audio format').choices(RESPONSE_FORMATS);

  program
    .command('serve')
    .description('run the service (what `npm start` runs); every option of `npm start` applies, see `serve --help`')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[options...]')
    .action(async (_options: unknown, _flags: unknown, command: Command) => {
      const server = await import('../main.js');
      await server.main(command.args).catch(server.reportStartFailure);
    });

  program
    .command('say')
    .description('speak a text into an audio file (in this process, or on a server with --url)')
    .argument('[text]', 'the text (else --file, else standard input)')
    .option('-o, --output <file>', 'where the audio goes; - or absent (when piped) for standard output')
    .option('-f, --file <path>', 'read the text from a file (- for standard input)')
    .option('-m, --model <model>', 'a model group of the config, or a LiteLLM model string such as espeak/en-us', 'tts-1')
    .option('-v, --voice <voice>', 'an OpenAI voice name or a provider-native voice id', 'alloy')
    .addOption(format())
    .option('-s, --speed <speed>', 'speaking rate, 0.25 to 4', speedOption)
    .option('--instructions <text>', 'how to speak (providers that support it)')
    .option('-c, --config <file>', 'LiteLLM-style config.yaml (or CONFIG_FILE_PATH); the built-in local-engine config without it')
    .option('--url <url>', 'a running tts-gateway to call instead of speaking in this process', url)
    .option('-k, --key <key>', 'API key for --url (or TTS_GATEWAY_API_KEY, MASTER_KEY)')
    .action(async (text: string | undefined, options) => {
      await say(text, options, io);
    });

  program
    .command('batch')
    .description('submit files as one job to a running server, show its progress, and download the audio')
    .argument('[files...]', 'text files (- for standard input): one item per file, or per paragraph of a single file')
    .requiredOption('--out <directory>', 'where the audio files go')
    .option('--url <url>', 'the tts-gateway server (or TTS_GATEWAY_URL)', url ?? DEFAULT_URL)
    .option('-k, --key <key>', 'API key (or TTS_GATEWAY_API_KEY, MASTER_KEY)')
    .option('-m, --model <model>', 'a model group of the server', 'tts-1')
    .option('-v, --voice <voice>', 'voice for every item', 'alloy')
    .addOption(format())
    .option('-s, --speed <speed>', 'speaking rate, 0.25 to 4', speedOption)
    .option('--instructions <text>', 'how to speak (providers that support it)')
    .option('--concatenate', 'also join every item into one file (joined.<format>)')
    .addOption(
      new Option('--split <unit>', 'one item per file, line or paragraph (default: paragraph for one file, file for several)').choices([
        'file',
        'line',
        'paragraph',
      ]),
    )
    .option('--job <id>', 'follow and download a job submitted before, instead of submitting')
    .action(async (files: string[], options) => {
      setExitCode(await batch(files, options, io));
    });

  program
    .command('voices')
    .description('list the voices each model group accepts')
    .option('-m, --model <model>', 'only this model group')
    .option('-c, --config <file>', 'LiteLLM-style config.yaml (or CONFIG_FILE_PATH)')
    .option('--url <url>', 'ask a running tts-gateway instead of reading a config', url)
    .option('-k, --key <key>', 'API key for --url (or TTS_GATEWAY_API_KEY, MASTER_KEY)')
    .option('--json', 'print JSON')
    .action(async (options) => {
      await voices(options, io);
    });
  return program;
}

async function run(): Promise<void> {
  const io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, environment: process.env };
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    io.stderr.write(`tts-gateway: ${describeCliError(error)}\n`);
    exitCode = error instanceof CommandFailed ? error.exitCode : 1;
  }
  // `serve` keeps running on its own; the other commands end here, whatever handles remain open.
  if (process.argv[2] === 'serve') return;
  await new Promise((resolve) => process.stdout.write('', resolve));
  process.exit(exitCode);
}

void run();
