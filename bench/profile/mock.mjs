// A mock RingCentral in its own process, so a profile of the client holds only the client.
// Prints one JSON line { url, clientId, clientSecret, token } and serves until stdin closes.
import { startMockServer } from '@rc/testing';

const server = await startMockServer();
const token = server.issueToken({ accessTokenTtl: 86_400 });
process.stdout.write(
  `${JSON.stringify({ url: server.url, clientId: server.clientId, clientSecret: server.clientSecret, token })}\n`,
);
process.stdin.resume();
process.stdin.on('end', () => server.close().then(() => process.exit(0)));
