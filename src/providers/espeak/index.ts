import { z } from 'zod';
import type { ProviderFactory } from '../registry.js';
import { createEspeakProvider } from './espeak-provider.js';

const espeakParamsSchema = z.looseObject({});

export const espeakFactory: ProviderFactory = {
  id: 'espeak',
  create({ model, params, dependencies }) {
    espeakParamsSchema.parse(params);
    return createEspeakProvider({ language: model, engine: dependencies.espeakEngine });
  },
};
