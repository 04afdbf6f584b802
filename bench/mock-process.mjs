// The mock RingCentral server in a process of its own (so its CPU is not the client's), with a
// small control server beside it that trials call outside their timed parts: a token for the raw
// contenders, token invalidation for the refresh storm, and the request counters.
import { createServer } from 'node:http';
import { startMockServer } from '@rc/testing';

const server = await startMockServer();

const routes = {
  'POST /token': () => server.issueToken({ accessTokenTtl: 86_400 }),
  'POST /invalidate': () => {
    server.invalidateAccessTokens();
    server.resetStats();
    return {};
  },
  'GET /stats': () => server.stats,
};

const control = createServer((req, res) => {
  const route = routes[`${req.method} ${req.url}`];
  res.writeHead(route ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify(route ? route() : { error: 'no such route' }));
});
await new Promise((resolve) => control.listen(0, '127.0.0.1', resolve));

process.stdout.write(
  `${JSON.stringify({
    url: server.url,
    control: `http://127.0.0.1:${control.address().port}`,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    user: server.user,
  })}\n`,
);
process.on('SIGTERM', async () => {
  control.close();
  await server.close();
  process.exit(0);
});
