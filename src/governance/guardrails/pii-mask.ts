import type { PiiEntity } from '../../config/sections/guardrails.js';
import { guardrailBlocked, type Guardrail } from './guardrail.js';

/**
 * E-mail addresses, phone numbers and payment card numbers, found by pattern (a heuristic,
 * not a named-entity model like LiteLLM's Presidio). Cards must pass the Luhn check, so an
 * order number is left alone; a phone number needs 7 to 15 digits (E.164's maximum).
 */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const CARD_CANDIDATE = /(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])/g;
const PHONE_CANDIDATE = /(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{2,4}){1,4}(?![\w])/g;

const REPLACEMENT: Readonly<Record<PiiEntity, string>> = { email: '[EMAIL]', phone: '[PHONE]', credit_card: '[CARD]' };

export function createPiiMaskGuardrail(name: string, entities: readonly PiiEntity[], action: 'mask' | 'block'): Guardrail {
  const wanted = new Set(entities);
  return {
    name,
    async apply(text) {
      let result = text;
      const found: PiiEntity[] = [];
      const replace = (entity: PiiEntity, expression: RegExp, accept: (match: string) => boolean): void => {
        if (!wanted.has(entity)) return;
        result = result.replace(expression, (match) => {
          if (!accept(match)) return match;
          found.push(entity);
          return REPLACEMENT[entity];
        });
      };
      replace('email', EMAIL, () => true);
      // Cards before phones: a card number would otherwise pass as a long phone number.
      replace('credit_card', CARD_CANDIDATE, (match) => passesLuhn(digitsOf(match)));
      replace('phone', PHONE_CANDIDATE, (match) => {
        const digits = digitsOf(match).length;
        return digits >= 7 && digits <= 15;
      });
      if (found.length > 0 && action === 'block') throw guardrailBlocked(name, `it contains personal data (${[...new Set(found)].join(', ')})`);
      return result;
    },
  };
}

function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}

/** The Luhn checksum that every payment card number satisfies. */
export function passesLuhn(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
