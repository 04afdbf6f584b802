// Types for scripts/pack.mjs, for the TypeScript tests that import it.
export interface PublishedPackage {
  name: string;
  dir: string;
  folder: string;
  manifest: Record<string, unknown>;
}
export interface PackedPackage extends PublishedPackage {
  tarball: string;
}
export const root: string;
export function publishedPackages(): PublishedPackage[];
export function packAll(destination: string): Promise<PackedPackage[]>;
