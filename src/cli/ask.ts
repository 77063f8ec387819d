import { createInterface } from 'node:readline';

/**
 * Asks one question on the terminal and resolves with the answer, or `undefined` when it
 * cannot be asked (input is not a terminal) or the user presses Ctrl-C or Ctrl-D again.
 */
export function ask(question: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string | undefined> {
  if (input.isTTY !== true) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const reader = createInterface({ input, output, terminal: true });
    let settled = false;
    const settle = (answer: string | undefined): void => {
      if (settled) return;
      settled = true;
      reader.close();
      // The interface resumed the input stream; pause it again so it does not hold the process open.
      input.pause();
      resolve(answer);
    };
    reader.on('SIGINT', () => {
      output.write('\n');
      settle(undefined);
    });
    reader.on('close', () => settle(undefined));
    reader.question(question, (answer) => settle(answer.trim().toLowerCase()));
  });
}
