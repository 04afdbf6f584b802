// What you need: Node.js 22. Runs on an embedded mock RingCentral server with 5,000 call-log
// records. For real RingCentral set RC_CLIENT_ID, RC_CLIENT_SECRET and RC_JWT (the JWT credential
// from the developer console), and RC_SERVER_URL for production (default: the sandbox).
//
// Exports the whole call log to CSV with `rc.paginate()`: pages of 1,000 fetched one after the
// other as the file is written, a progress bar on a terminal (the total from
// `paging.totalElements`), plain progress lines when stderr is not a terminal.
//
//   node dist/main.js [out.csv]        (stdout when no file is given)
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { Schema } from '@rc/api';
import { jwtGrant } from '@rc/auth-jwt';
import { createClient, type RcClient, SERVER_SANDBOX } from '@rc/core';
import { startMockServer } from '@rc/testing';
import { type ProgressStream, progress } from './progress.js';

/** A call-log record as RingCentral's API description defines it (typed by `@rc/api`). */
export type CallLogRecord = Schema<'CallLogRecord'>;

const COLUMNS = [
  'id',
  'startTime',
  'duration',
  'type',
  'direction',
  'action',
  'result',
  'from',
  'to',
] as const;

/** RFC 4180: quote a field that holds a comma, a quote or a line break; double its quotes. */
const csvField = (value: unknown) => {
  const s = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const party = (p: CallLogRecord['from']) => p?.phoneNumber ?? p?.name ?? '';

export function csvRow(r: CallLogRecord): string {
  const row = [
    r.id,
    r.startTime,
    r.duration,
    r.type,
    r.direction,
    r.action,
    r.result,
    party(r.from),
    party(r.to),
  ];
  return `${row.map(csvField).join(',')}\r\n`;
}

export interface ExportOptions {
  rc: RcClient;
  out: Writable;
  progressTo: ProgressStream;
  /** Records per page (RingCentral allows up to 1,000). @default 1000 */
  perPage?: number;
  signal?: AbortSignal;
}

/** Writes the call log as CSV to `out`, honouring back-pressure; resolves to the record count. */
export async function exportCallLog({
  rc,
  out,
  progressTo,
  perPage = 1000,
  signal,
}: ExportOptions): Promise<number> {
  const bar = progress(progressTo);
  let total: number | undefined;
  let done = 0;
  out.write(`${COLUMNS.join(',')}\r\n`);
  const records = rc.paginate('/restapi/v1.0/account/~/extension/~/call-log', {
    searchParams: { perPage, view: 'Simple' },
    ...(signal ? { signal } : {}),
    onPage: ({ index, page }) => {
      total = page.paging?.totalElements;
      if (index > 1) bar.update(done, total);
    },
  });
  for await (const record of records) {
    if (!out.write(csvRow(record))) await once(out, 'drain');
    done++;
  }
  bar.update(done, total);
  bar.finish(done);
  return done;
}

async function client(): Promise<{ rc: RcClient; close: () => Promise<void> }> {
  const env = process.env;
  if (env.RC_CLIENT_ID && env.RC_CLIENT_SECRET && env.RC_JWT) {
    const rc = createClient({
      server: env.RC_SERVER_URL || SERVER_SANDBOX,
      clientId: env.RC_CLIENT_ID,
      clientSecret: env.RC_CLIENT_SECRET,
      grant: jwtGrant({ jwt: env.RC_JWT }),
    });
    return { rc, close: async () => undefined };
  }
  const mock = await startMockServer({ callLogSize: Number(env.CALL_LOG_SIZE ?? 5000) });
  const rc = createClient({ server: mock.url, clientId: mock.clientId, clientSecret: mock.clientSecret });
  await rc.setToken(mock.issueToken());
  return { rc, close: () => mock.close() };
}

export async function main(file = process.argv[2]): Promise<number> {
  const { rc, close } = await client();
  const out = file ? createWriteStream(file) : process.stdout;
  try {
    return await exportCallLog({ rc, out, progressTo: process.stderr });
  } finally {
    if (file) {
      out.end();
      await once(out, 'finish');
    }
    await close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(String(error));
    process.exitCode = 1;
  });
}
