// Bounded waiting for tests, shared by the packages' test suites (a test-only module: never
// published, imported by path): every wait fails with a message that says what it waited for,
// instead of hanging until the test's timeout.

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when `condition()` is true (polled every 5 ms); rejects after `ms` with `what`. */
export async function waitFor(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}
