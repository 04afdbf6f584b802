import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createClient } from '@rc/core';
import { startMockServer } from '@rc/testing';
import { expect, it } from 'vitest';
import { csvRow, exportCallLog, main } from '../src/main.js';

const sink = () => {
  const text: string[] = [];
  return { text, stream: { write: (s: string) => text.push(s) } };
};

async function run(isTTY: boolean) {
  const mock = await startMockServer({ callLogSize: 5000 });
  try {
    const rc = createClient({ server: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret });
    await rc.setToken(mock.issueToken());
    mock.resetStats();
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const progress = sink();
    const count = await exportCallLog({ rc, out, progressTo: { ...progress.stream, isTTY, columns: 80 } });
    out.end();
    return {
      count,
      csv: Buffer.concat(chunks).toString('utf8'),
      progress: progress.text.join(''),
      stats: mock.stats,
    };
  } finally {
    await mock.close();
  }
}

it('exports 5,000 call-log records to CSV in 5 pages, with plain progress lines off a terminal', async () => {
  const { count, csv, progress, stats } = await run(false);
  expect(count).toBe(5000);
  expect(stats.byEndpoint['GET /restapi/v1.0/account/~/extension/~/call-log']).toBe(5);
  const lines = csv.split('\r\n').filter(Boolean);
  expect(lines).toHaveLength(5001);
  expect(lines[0]).toBe('id,startTime,duration,type,direction,action,result,from,to');
  expect(lines[1]).toMatch(/^CL000000001,/);
  expect(lines[5000]).toMatch(/^CL000005000,/);
  expect(progress.split('\n').filter(Boolean)).toEqual([
    'exported 1000 of 5000 records',
    'exported 2000 of 5000 records',
    'exported 3000 of 5000 records',
    'exported 4000 of 5000 records',
    'exported 5000 of 5000 records',
    'done: 5000 records',
  ]);
  expect(progress).not.toContain('\r');
});

it('draws a progress bar on a terminal, its total from paging.totalElements', async () => {
  const { progress } = await run(true);
  const frames = progress.split('\r').filter(Boolean);
  expect(frames[0]).toMatch(/^\[#{8}-{32}\] {2}20% 1000\/5000$/);
  expect(frames.at(-1)).toMatch(/^\[#{40}\] 100% 5000\/5000\n5000 records exported\n$/);
});

it('quotes CSV fields as RFC 4180 says', () => {
  const row = csvRow({
    id: 'x',
    uri: 'https://platform.ringcentral.com/restapi/v1.0/account/1/call-log/x',
    sessionId: 's',
    startTime: 't',
    duration: 1,
    type: 'Voice',
    direction: 'Inbound',
    action: 'Phone Call',
    result: 'Accepted',
    from: { name: 'Doe, "Jane"' },
    to: { phoneNumber: '+1' },
  });
  expect(row).toBe('x,t,1,Voice,Inbound,Phone Call,Accepted,"Doe, ""Jane""",+1\r\n');
});

it('main() writes the file from the embedded mock (the CLI path)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'call-log-'));
  const size = process.env.CALL_LOG_SIZE;
  process.env.CALL_LOG_SIZE = '1200';
  try {
    const file = join(dir, 'calls.csv');
    expect(await main(file)).toBe(1200);
    expect((await readFile(file, 'utf8')).split('\r\n').filter(Boolean)).toHaveLength(1201);
  } finally {
    if (size === undefined) delete process.env.CALL_LOG_SIZE;
    else process.env.CALL_LOG_SIZE = size;
    await rm(dir, { recursive: true, force: true });
  }
});
