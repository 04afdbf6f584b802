// pnpm hooks of the workspace. beforePacking (pnpm 10.28+) shapes the manifest that goes into every
// tarball `pnpm pack` and `pnpm publish` make: the scripts name files the tarball lacks (tsconfig
// files, sources) and mean nothing to a user, so the published package.json has none.
// scripts/check-packages.mjs checks that the tarballs hold no scripts.
module.exports = {
  hooks: {
    beforePacking(pkg) {
      delete pkg.scripts;
      return pkg;
    },
  },
};
