// The browser size budget in `npm test` (bench/size-budget.json; `node bench/size.mjs` prints it).
import { expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { checkBudget, measure } from '../size.mjs';

interface Row {
  name: string;
  gzip: number;
  limitGzipBytes: number;
  targetGzipBytes: number;
}

it('every browser bundle is within its min+gzip limit', async () => {
  const rows: Row[] = await checkBudget();
  for (const row of rows) {
    console.log(
      `${row.name}: ${row.gzip} B min+gzip (limit ${row.limitGzipBytes}, target ${row.targetGzipBytes})`,
    );
    expect(row.gzip, row.name).toBeLessThanOrEqual(row.limitGzipBytes);
  }
});

it('@rc/api adds 0 bytes to a bundle that imports it for its types', async () => {
  const spa =
    "export { createClient } from '@rc/core'; export { authorizeUrl, authCodeGrant, parseCallback } from '@rc/auth-code';";
  const plain = await measure(spa);
  const typed = await measure(`import '@rc/api'; ${spa}`);
  // The minified bytes are the measure: with code splitting, the lazy chunks' file names are content
  // hashes that differ between the two builds (same length, other characters), which moves the gzip
  // figure by a few bytes either way without a byte of code added.
  expect(typed.minified).toBe(plain.minified);
  expect(Math.abs(typed.gzip - plain.gzip)).toBeLessThanOrEqual(16);
});

// What a browser app of the authorization-code flow does not call stays out of what it loads at
// start: paging, batches (with their multipart reader), the described rate-limit table and the
// shared budget (for stores several processes share) come in
// chunks of their own, fetched when first used (dynamic imports), so one static import of them
// would quietly undo it — and so would a face the app reaches re-exporting them (esbuild then puts
// what an on-demand chunk uses into the first chunk: why the multipart reader is not in the kit).
it('the spa bundle loads paging, batches and the route table only on demand', async () => {
  const spa =
    "export { createClient } from '@rc/core'; export { authorizeUrl, authCodeGrant, parseCallback } from '@rc/auth-code';";
  const { inputs, lazy } = await measure(spa, { metafile: true });
  const atStart = Object.entries(inputs as Record<string, number>)
    .filter(([, bytes]) => bytes > 0)
    .map(([path]) => path)
    .filter((path) =>
      /core\/src\/(paginate|batch\/batch-get|multipart\/(parse|bounded-read)|rate-limit\/(table|description|shared-budget))\.ts$/.test(
        path,
      ),
    );
  expect(atStart).toEqual([]);
  expect(lazy).toBeGreaterThan(0);
});
