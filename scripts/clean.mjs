#!/usr/bin/env node
// `node ../../scripts/clean.mjs dist`: removes build output before a build, so a renamed or deleted
// source file leaves no stale module behind in dist/ (and in the packed package).
import { rmSync } from 'node:fs';

for (const dir of process.argv.slice(2)) rmSync(dir, { recursive: true, force: true });
