// Peak RSS of one large Blob upload (issue 18 item 15): `node bench/upload-rss.mjs [MiB]`.
// Each measurement runs in a child process of its own (plain fetch, then the client); the receiving
// server runs in this parent process and discards what it reads, so only the sender is measured.
// Needs a build (dist/). The body is a fax's: a JSON part and one Blob attachment.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const mib = Number(process.argv[2] ?? 64);
const [, , , mode, url] = process.argv;
const path = '/restapi/v1.0/account/~/extension/~/fax';

if (mode === undefined) {
  const sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${sink.address().port}`;
  for (const m of ['fetch', 'rc']) {
    const child = fork(fileURLToPath(import.meta.url), [String(mib), m, base], {
      stdio: 'inherit',
      execArgv: ['--expose-gc'],
    });
    await new Promise((resolve) => child.on('exit', resolve));
  }
  sink.close();
} else {
  const { createClient, messageBody } = await import('@rc/core');
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 2);
  sample();
  // Made of one 1 MiB chunk repeated: nothing but the Blob itself holds the bytes.
  const chunk = new Uint8Array(1024 * 1024).fill(7);
  const blob = new Blob(
    Array.from({ length: mib }, () => chunk),
    { type: 'application/pdf' },
  );
  globalThis.gc?.();
  const body = await messageBody({ to: [{ phoneNumber: '+16505550199' }] }, [
    { content: blob, fileName: 'a.pdf' },
  ]);
  const before = process.memoryUsage.rss();
  if (mode === 'fetch') {
    await (
      await fetch(`${url}${path}`, { method: 'POST', body, headers: { authorization: 'Bearer t' } })
    ).json();
  } else {
    const rc = createClient({ server: url, clientId: 'id' });
    await rc.setToken({ access_token: 'token-rss-1', token_type: 'bearer', expires_in: 3600 });
    await rc.post(path, { body }).json();
  }
  sample();
  clearInterval(timer);
  const m = (n) => `${Math.round(n / 1024 / 1024)} MiB`;
  console.log(
    `${mode.padEnd(5)} ${mib} MiB Blob: peak RSS ${m(peak)} (${m(peak - before)} above the process before sending)`,
  );
}
