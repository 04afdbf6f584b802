// The browser size budget in `npm test` (bench/size-budget.json; `node bench/size.mjs` prints it).
import { expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without type declarations
import { checkBudget } from '../size.mjs';

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
