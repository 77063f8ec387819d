import { guardrailBlocked, type Guardrail } from './guardrail.js';

export function createMaxLengthGuardrail(name: string, maxLength: number): Guardrail {
  return {
    name,
    async apply(text) {
      if (text.length > maxLength) throw guardrailBlocked(name, `the input is ${text.length} characters long, over the limit of ${maxLength}`);
      return text;
    },
  };
}
