/**
 * What stores over one Keyv instance and namespace share in this process (penalties, the budget):
 * found through a WeakMap keyed by the Keyv instance, and gone with it. Made by `make` the first time.
 */
export function perNamespace<T>(
  all: WeakMap<object, Map<string, T>>,
  keyv: object,
  namespace: string,
  make: () => T,
): T {
  let byNamespace = all.get(keyv);
  if (!byNamespace) {
    byNamespace = new Map();
    all.set(keyv, byNamespace);
  }
  let shared = byNamespace.get(namespace);
  if (shared === undefined) {
    shared = make();
    byNamespace.set(namespace, shared);
  }
  return shared;
}
