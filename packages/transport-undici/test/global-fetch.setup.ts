// Setup file of the `core-over-undici` vitest project: core's own request, refresh, storm and
// plugin tests run with undiciFetch() as the global fetch, so every client they create (and every
// direct fetch they make) goes over undici's pool. The same assertions hold on both transports.
import { undiciFetch } from '@rc/transport-undici';
import { afterAll } from 'vitest';

const fetch = undiciFetch();
globalThis.fetch = fetch;
afterAll(() => fetch.close());
