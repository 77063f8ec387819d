/**
 * Characters one request may carry, per model (ElevenLabs' models page). eleven_v3's limit
 * has moved (3,000 in alpha, 5,000 since); an unknown model gets the smallest known limit,
 * so a request is never sent that the model would refuse.
 * https://elevenlabs.io/docs/models
 */
const MAX_CHARACTERS: Readonly<Record<string, number>> = {
  eleven_v3: 5_000,
  eleven_multilingual_v2: 10_000,
  eleven_flash_v2: 30_000,
  eleven_turbo_v2: 30_000,
  eleven_flash_v2_5: 40_000,
  eleven_turbo_v2_5: 40_000,
};

const UNKNOWN_MODEL_MAX_CHARACTERS = 5_000;

export function maxCharactersOf(model: string): number {
  return MAX_CHARACTERS[model] ?? UNKNOWN_MODEL_MAX_CHARACTERS;
}
