export { collectAudio as collect, remoteProviderDependencies as dependenciesWith } from '../../../helpers/provider-dependencies.js';
import { expect } from 'vitest';
import { ProviderError } from '../../../../src/providers/spec/errors.js';

/** The ProviderError a promise rejects with; fails the test when it resolves or rejects otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}
