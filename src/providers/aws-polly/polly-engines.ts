/**
 * Polly's synthesis engines. LiteLLM names the engine in the model string
 * (`aws_polly/neural`); https://docs.aws.amazon.com/polly/latest/dg/voice-engines-polly.html
 */
export const POLLY_ENGINES = ['standard', 'neural', 'long-form', 'generative'] as const;
export type PollyEngine = (typeof POLLY_ENGINES)[number];

function isPollyEngine(value: string): value is PollyEngine {
  return (POLLY_ENGINES as readonly string[]).includes(value);
}

/**
 * The engine of a deployment from the model after `aws_polly/`. LiteLLM quietly falls back to
 * `neural` for anything else; a typo would then bill another engine, so it is a config error here.
 */
export function engineOfModel(model: string): PollyEngine {
  const engine = model.toLowerCase();
  if (!isPollyEngine(engine)) {
    throw new Error(`"aws_polly/${model}" names no Polly engine (use one of: ${POLLY_ENGINES.map((name) => `aws_polly/${name}`).join(', ')})`);
  }
  return engine;
}
