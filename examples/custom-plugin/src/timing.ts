import type { Plugin } from '@rc/core';

export interface Timing {
  method: string;
  path: string;
  status: number | 'error';
  ms: number;
}

/**
 * Times every API request at the transport, so the time is what the wire took (a refresh or a
 * 401 retry inside counts; ky's retry delays do not). About 20 lines: a plugin is a name plus
 * ky hooks and/or a fetch wrapper.
 */
export function timing(report: (t: Timing) => void): Plugin {
  return {
    name: 'timing',
    fetch: (next) => async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init);
      const path = new URL(request.url).pathname;
      const start = performance.now();
      try {
        const response = await next(input, init);
        report({ method: request.method, path, status: response.status, ms: performance.now() - start });
        return response;
      } catch (error) {
        report({ method: request.method, path, status: 'error', ms: performance.now() - start });
        throw error;
      }
    },
  };
}
