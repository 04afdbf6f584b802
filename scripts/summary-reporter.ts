import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

// Prints one plain closing line, "Tests on Node vX: N passed, N failed, N skipped", after vitest's
// own summary, so CI (and a person skimming a log) reads the outcome from the last line. With
// RC_SUMMARY_FILE set (scripts/run.mjs runs the suite once per Node major), it also writes the
// counts there as JSON, for the combined closing line.
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++;
    }
    failed += unhandledErrors.length;
    process.stdout.write(
      `\nTests on Node ${process.version}: ${passed} passed, ${failed} failed, ${skipped} skipped\n`,
    );
    const file = process.env.RC_SUMMARY_FILE;
    if (file) writeFileSync(file, JSON.stringify({ passed, failed, skipped, node: process.version }));
  }
}
