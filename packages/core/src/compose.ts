import type { Hooks } from 'ky';
import type { Plugin } from './types.js';

const HOOK_NAMES = ['init', 'beforeRequest', 'beforeRetry', 'afterResponse', 'beforeError'] as const;

/** Concatenates hooks in order: the first plugin's hooks run first. */
export function mergeHooks(all: (Hooks | undefined)[]): Hooks {
  const out: Required<Hooks> = {
    init: [],
    beforeRequest: [],
    beforeRetry: [],
    afterResponse: [],
    beforeError: [],
  };
  for (const hooks of all) {
    if (!hooks) continue;
    for (const name of HOOK_NAMES) {
      const list = hooks[name];
      if (list) (out[name] as unknown[]).push(...list);
    }
  }
  return out;
}

/** Nests the plugins' fetch wrappers around `base`: the first plugin is outermost (sees a request first). */
export function composeFetch(plugins: readonly Plugin[], base: typeof fetch): typeof fetch {
  let fetchFn = base;
  for (let i = plugins.length - 1; i >= 0; i--) {
    const wrap = plugins[i]?.fetch;
    if (wrap) fetchFn = wrap(fetchFn);
  }
  return fetchFn;
}
