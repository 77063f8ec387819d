import type { FakeServer, FakeServerOptions } from './fake-server.js';

/**
 * Every provider fake, by provider id, so benchmarks and router tests can start any of them
 * (`tsx test/fakes/run-fake.ts <provider>`). Each fake adds its own line.
 */
export const fakeStarters: Record<string, (options?: FakeServerOptions) => Promise<FakeServer>> = {
};
