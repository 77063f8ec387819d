type Engine = 'standard' | 'neural' | 'long-form' | 'generative';

/**
 * A slice of Polly's voice list with each voice's engines
 * (https://docs.aws.amazon.com/polly/latest/dg/available-voices.html): every voice the
 * adapter maps to, plus a few others, so the fake can refuse a voice on the wrong engine.
 */
export const FAKE_POLLY_VOICES: Readonly<Record<string, readonly Engine[]>> = {
  Joanna: ['standard', 'neural', 'generative'],
  Matthew: ['standard', 'neural', 'generative'],
  Amy: ['standard', 'neural', 'generative'],
  Brian: ['standard', 'neural'],
  Emma: ['standard', 'neural'],
  Ivy: ['standard', 'neural'],
  Kendra: ['standard', 'neural'],
  Kimberly: ['standard', 'neural'],
  Salli: ['standard', 'neural'],
  Joey: ['standard', 'neural'],
  Justin: ['standard', 'neural'],
  Russell: ['standard'],
  Nicole: ['standard'],
  Geraint: ['standard'],
  Raveena: ['standard'],
  Aditi: ['standard'],
  Kevin: ['neural'],
  Arthur: ['neural'],
  Stephen: ['neural', 'generative'],
  Olivia: ['neural', 'generative'],
  Kajal: ['neural', 'generative'],
  Gregory: ['neural', 'long-form'],
  Danielle: ['neural', 'long-form', 'generative'],
  Ruth: ['neural', 'long-form', 'generative'],
  Patrick: ['long-form'],
};
