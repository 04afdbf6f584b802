import { ConfigError } from '../errors/config-error.js';

/**
 * Throws `ConfigError` unless `options` is a plain object whose keys are all in `known`: a misspelt
 * option, or a wire name (`redirect_uri`) where the camelCase option (`redirectUri`) is meant, would
 * otherwise be ignored without a word. The message hints at the camelCase name when there is one.
 * The one copy of this check: grants, stores and plugins (ours and third parties') call it.
 *
 * @param fn the call to name in the message, e.g. `'memoryStore()'`
 * @example
 * checkOptions(options, ['namespace', 'keyv'], 'myStore()');
 */
export function checkOptions(options: unknown, known: readonly string[], fn: string): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(`${fn}: options must be an object.`, 'options');
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const hint = camel !== key && known.includes(camel) ? ` Did you mean "${camel}"?` : '';
    throw new ConfigError(`${fn}: unknown option "${key}".${hint} Known options: ${known.join(', ')}.`, key);
  }
}

/**
 * Every option name of `T`, checked by the compiler both ways: the call fails to type-check while
 * a key of `T` is missing from `names` (the error names it as `missing`), or `names` holds one `T`
 * lacks. The list handed to {@link checkOptions} then cannot drift from the options type.
 *
 * @example
 * const KNOWN = optionNames<MyStoreOptions>()(['namespace', 'keyv']);
 * checkOptions(options, KNOWN, 'myStore()');
 */
export const optionNames =
  <T>() =>
  <const L extends readonly (keyof T & string)[]>(
    names: L &
      ([Exclude<keyof T, L[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, L[number]> }),
  ): L =>
    names;
