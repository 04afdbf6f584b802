// One trial of the webhook receiver's benchmark (webhook.mjs) in a fresh process:
// `node webhook-trial.mjs <json>` with { contender, warmup, deliveries }; prints one JSON line:
// wall and CPU µs per delivery. Everything runs in this process, with no socket: what is measured
// is the receiver's own work per delivery (building the request, reading and checking it, the
// de-duplication, the reply), each contender against its bare counterpart.
import { memoryStore } from '@rc/store-memory';
import { toNodeHandler, webhookHandler } from '@rc/webhooks';

const job = JSON.parse(process.argv[2]);
const TOKEN = 'verification-token-7f3a9c';
const URL_ = 'http://127.0.0.1:3000/webhook';
const headers = { 'content-type': 'application/json; charset=UTF-8', 'verification-token': TOKEN };

/** A message-store notification as RingCentral POSTs it, with a fresh uuid each time. */
const body = (i) =>
  JSON.stringify({
    uuid: `5b6c0f1e-3c1a-4f7e-9d2b-${String(i).padStart(12, '0')}`,
    event: '/restapi/v1.0/account/1/extension/101/message-store',
    timestamp: '2026-12-06T06:00:00.000Z',
    subscriptionId: '0b7a7c4e-7f4e-4d6e-9a51-3a8a1b2f5c11',
    ownerId: '101',
    body: {
      accountId: 1,
      extensionId: 101,
      lastUpdated: '2026-12-06T06:00:00.000Z',
      changes: [{ type: 'SMS', newCount: 1, updatedCount: 0, newMessageIds: [8000000001] }],
    },
  });

const onNotification = () => {};

/** What a hand-written fetch-style receiver does at least: read, parse, answer 200. */
const bare = async (request) => {
  const n = JSON.parse(await request.text());
  onNotification(n);
  return new Response('OK', { status: 200 });
};

/** A node:http-style request: the body's chunks, the headers; and a response that keeps nothing. */
const nodeRequest = (text) => ({
  method: 'POST',
  url: '/webhook',
  headers: { ...headers, host: '127.0.0.1:3000', 'content-length': String(Buffer.byteLength(text)) },
  async *[Symbol.asyncIterator]() {
    yield Buffer.from(text);
  },
});
const nodeResponse = () => ({ headersSent: false, writeHead() {}, end() {} });

/** What a hand-written node:http listener does at least: collect the chunks, parse, answer 200. */
const bareNode = async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  onNotification(JSON.parse(Buffer.concat(chunks).toString('utf8')));
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('OK');
};

const fetchStyle = (handler) => (i) =>
  handler(new Request(URL_, { method: 'POST', headers, body: body(i) })).then((r) => r.arrayBuffer());
const nodeStyle = (listener) => (i) => listener(nodeRequest(body(i)), nodeResponse());

const contenders = {
  'bare fetch handler': () => fetchStyle(bare),
  webhookHandler: () => fetchStyle(webhookHandler({ verificationToken: TOKEN, onNotification })),
  'webhookHandler + memoryStore': () =>
    fetchStyle(webhookHandler({ verificationToken: TOKEN, onNotification, store: memoryStore() })),
  'bare node:http listener': () => nodeStyle(bareNode),
  'toNodeHandler(webhookHandler)': () =>
    nodeStyle(toNodeHandler(webhookHandler({ verificationToken: TOKEN, onNotification }))),
};

const deliver = contenders[job.contender]();
// One delivery at a time: a receiver's cost per delivery, not a concurrency figure.
for (let i = 0; i < job.warmup; i++) await deliver(i);
const cpu = process.cpuUsage();
const start = performance.now();
for (let i = 0; i < job.deliveries; i++) await deliver(job.warmup + i);
const ms = performance.now() - start;
const { user, system } = process.cpuUsage(cpu);
console.log(JSON.stringify({ us: (ms * 1000) / job.deliveries, cpuUs: (user + system) / job.deliveries }));
