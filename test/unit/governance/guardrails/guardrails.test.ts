import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/config/config-error.js';
import { parseConfigDocument } from '../../../../src/config/load-config.js';
import { createBlockedTermsGuardrail } from '../../../../src/governance/guardrails/blocked-terms.js';
import type { GuardContext } from '../../../../src/governance/guardrails/guardrail.js';
import { createPiiMaskGuardrail, passesLuhn } from '../../../../src/governance/guardrails/pii-mask.js';

const context: GuardContext = { requestId: 'req_1', source: 'sync', keyId: 'master', model: 'tts-1' };

describe('pii_mask', () => {
  const mask = createPiiMaskGuardrail('pii', ['email', 'phone', 'credit_card'], 'mask');

  it('knows a card number by its Luhn checksum', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('5555555555554444')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(passesLuhn('1234567890123456')).toBe(false);
    expect(passesLuhn('0000000')).toBe(false);
  });

  it.each([
    ['Write to a.b-c+tag@mail.example.co.uk today.', 'Write to [EMAIL] today.'],
    ['Call (020) 7946 0958 or +44 20 7946 0958.', 'Call [PHONE] or [PHONE].'],
    ['Visa 4111-1111-1111-1111 and MasterCard 5555 5555 5555 4444.', 'Visa [CARD] and MasterCard [CARD].'],
    ['Invoice 1234 5678 9012 3456 is not a card.', 'Invoice 1234 5678 9012 3456 is not a card.'],
    ['In 2024 we sold 12 units for 300 dollars.', 'In 2024 we sold 12 units for 300 dollars.'],
  ])('masks %j', async (input, expected) => {
    expect(await mask.apply(input, context)).toBe(expected);
  });

  it('masks only the entities asked for, and can block instead', async () => {
    const emailsOnly = createPiiMaskGuardrail('pii', ['email'], 'mask');
    expect(await emailsOnly.apply('a@b.io and 4111 1111 1111 1111', context)).toBe('[EMAIL] and 4111 1111 1111 1111');
    const blocking = createPiiMaskGuardrail('strict-pii', ['credit_card'], 'block');
    await expect(blocking.apply('card 4111 1111 1111 1111', context)).rejects.toMatchObject({ status: 400, code: 'guardrail_blocked:strict-pii' });
    expect(await blocking.apply('no card here', context)).toBe('no card here');
  });
});

describe('blocked_terms', () => {
  it('honours case sensitivity and masks every occurrence', async () => {
    const masking = createBlockedTermsGuardrail('words', {
      terms: ['Darn', 'c++'],
      patterns: ['\\d{3}-secret'],
      caseSensitive: true,
      action: 'mask',
      maskWith: '#',
    });
    expect(await masking.apply('Darn, darn, Darn! c++ and 123-secret, 456-secret.', context)).toBe('#, darn, #! # and #, #.');
  });
});

describe('guardrail config', () => {
  const base = { model_list: [{ model_name: 'tts-1', litellm_params: { model: 'espeak/en-us' } }] };
  const problemsOf = (guardrails: unknown): string[] => {
    try {
      parseConfigDocument({ ...base, guardrails }, {});
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return [...error.problems];
      throw error;
    }
  };

  it("accepts LiteLLM's shape with defaults", () => {
    const config = parseConfigDocument({ ...base, guardrails: [{ guardrail_name: 'pii', litellm_params: { guardrail: 'pii_mask', mode: 'pre_call' } }] }, {});
    expect(config.guardrails[0]?.litellm_params).toEqual({
      guardrail: 'pii_mask',
      mode: 'pre_call',
      default_on: true,
      entities: ['email', 'phone', 'credit_card'],
      action: 'mask',
    });
  });

  it('lists every problem: unknown guardrails, post_call, bad patterns, duplicate names', () => {
    const problems = problemsOf([
      { guardrail_name: 'a', litellm_params: { guardrail: 'presidio' } },
      { guardrail_name: 'b', litellm_params: { guardrail: 'max_length', max_length: 10, mode: 'post_call' } },
      { guardrail_name: 'c', litellm_params: { guardrail: 'blocked_terms', patterns: ['(unclosed'] } },
      { guardrail_name: 'd', litellm_params: { guardrail: 'http' } },
    ]);
    expect(problems.join('\n')).toMatch(
      /guardrails\.0\.litellm_params\.guardrail: "presidio" is not a built-in guardrail; must be one of the built-in guardrails: max_length, blocked_terms, pii_mask, http/,
    );
    expect(problems.join('\n')).toMatch(/guardrails\.1\.litellm_params\.mode: only "pre_call"/);
    expect(problems.join('\n')).toMatch(/guardrails\.2\.litellm_params\.patterns\.0: is not a valid regular expression/);
    expect(problems.join('\n')).toMatch(/guardrails\.3\.litellm_params\.api_base/);
  });

  it('refuses two guardrails of one name', () => {
    const entry = { guardrail_name: 'same', litellm_params: { guardrail: 'max_length', max_length: 5 } };
    expect(problemsOf([entry, entry])).toEqual(['guardrails.1.guardrail_name: "same" is used by another guardrail']);
  });
});
