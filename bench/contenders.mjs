// The clients compared, each set up as its users would write it, making the same GET of the
// caller's extension. `setup(mock)` resolves to `{ get, close }`; `get()` resolves to the parsed
// body. Raw contenders (undici, fetch, plain ky) send a token the mock issued; the clients log in
// with the password grant.
import { passwordGrant } from '@rc/auth-password';
import { createClient } from '@rc/core';
import { otel } from '@rc/otel';
import { undiciFetch } from '@rc/transport-undici';
import RingCentral from '@rc-ex/core';
import { SDK } from '@ringcentral/sdk';
import ky from 'ky';
import { Agent, fetch as undiciFetchApi, request as undiciRequest } from 'undici';

export const PATH = 'restapi/v1.0/account/~/extension/~';

const control = async (mock, route, method = 'POST') =>
  (await fetch(`${mock.control}${route}`, { method })).json();

const rawToken = async (mock) => `Bearer ${(await control(mock, '/token')).access_token}`;

const login = (mock) => ({
  username: mock.user.username,
  extension: mock.user.extension,
  password: mock.user.password,
});

// Plain ky 2 (the ky @rc/core is built on), its beforeRequest hook given a state object holding the Request.
const bearerHook =
  (authorization) =>
  ({ request }) => {
    request.headers.set('authorization', authorization);
  };

async function plainKy(mock, fetch) {
  const authorization = await rawToken(mock);
  const http = ky.create({ ...(fetch && { fetch }), hooks: { beforeRequest: [bearerHook(authorization)] } });
  const url = `${mock.url}/${PATH}`;
  return { get: () => http.get(url).json(), close: () => fetch?.close() };
}

async function rcCore(mock, fetch, plugins) {
  const rc = createClient({
    server: mock.url,
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    ...(fetch && { fetch }),
    ...(plugins && { plugins }),
  });
  await rc.authorize(passwordGrant(login(mock)));
  return { get: () => rc.get(PATH).json(), close: () => fetch?.close(), rc };
}

// On a 401 the SDK forgets its access token by setting `expires_in` to -1, and its refresh then sends
// `access_token_ttl=-1`, which the mock refuses as malformed (RingCentral takes it; the SDK works
// there). For the refresh storm only, the SDK forgets the token by its expiry time instead, which
// keeps the ttl it was given: everything else it does is unchanged.
function keepTtlOnCancel(platform) {
  const auth = platform.auth();
  auth.cancelAccessToken = () => auth.setData({ access_token: '', expire_time: 1 });
}

export const contenders = {
  'undici.request': async (mock) => {
    const authorization = await rawToken(mock);
    const dispatcher = new Agent();
    const url = `${mock.url}/${PATH}`;
    return {
      get: async () => {
        const { statusCode, body } = await undiciRequest(url, { dispatcher, headers: { authorization } });
        if (statusCode !== 200) throw new Error(`status ${statusCode}`);
        return body.json();
      },
      close: () => dispatcher.close(),
    };
  },
  'native fetch': async (mock) => {
    const headers = { authorization: await rawToken(mock) };
    const url = `${mock.url}/${PATH}`;
    return { get: () => fetch(url, { headers }).then((r) => r.json()) };
  },
  'undici.fetch + Agent': async (mock) => {
    const headers = { authorization: await rawToken(mock) };
    const dispatcher = new Agent();
    const url = `${mock.url}/${PATH}`;
    return {
      get: () => undiciFetchApi(url, { headers, dispatcher }).then((r) => r.json()),
      close: () => dispatcher.close(),
    };
  },
  'ky (native fetch)': (mock) => plainKy(mock),
  'ky + undiciFetch': (mock) => plainKy(mock, undiciFetch()),
  '@rc/core': (mock) => rcCore(mock),
  '@rc/core + undiciFetch': (mock) => rcCore(mock, undiciFetch()),
  // A plugin that observes everything core offers (Plugin.observe) and does nothing with it: the
  // cost of the observe hooks themselves once someone listens (none listens in `@rc/core`).
  '@rc/core + no-op observer': (mock) => rcCore(mock, undefined, [noopObserver]),
  // @rc/otel with no OpenTelemetry SDK registered (what a library user who installs it but never
  // configures OpenTelemetry pays), and with the SDK's providers: a context manager, every span
  // recorded and batched to the SDK's in-memory exporter, the metrics aggregated (see otel-sdk.mjs).
  '@rc/core + otel (no SDK)': (mock) => rcCore(mock, undefined, [otel()]),
  '@rc/core + otel (SDK)': async (mock) => rcCore(mock, undefined, [otel(await otelSdk())]),
  '@ringcentral/sdk': async (mock, { storm } = {}) => {
    const sdk = new SDK({
      server: mock.url,
      clientId: mock.clientId,
      clientSecret: mock.clientSecret,
    });
    const platform = sdk.platform();
    if (storm) keepTtlOnCancel(platform);
    await platform.login(login(mock));
    return { get: () => platform.get(`/${PATH}`).then((r) => r.json()) };
  },
  '@rc-ex/core': async (mock) => {
    const rc = new RingCentral({
      server: mock.url,
      clientId: mock.clientId,
      clientSecret: mock.clientSecret,
    });
    // 1.x has no password flow in authorize(); its token request takes the grant's fields as they are.
    await rc.getToken({ grant_type: 'password', ...login(mock) });
    return { get: () => rc.restapi().account().extension().get() };
  },
};

export { control };

/**
 * `createClient` of a given build of @rc/core (observe-baseline.mjs: today's and older commits'),
 * each given a token the mock issued: the same setup for every build, whatever its grants were.
 * `stub`: no network: the transport answers every request with a copy of one reply the mock gave
 * (its body and headers, the rate-limit ones included), so the figure is core's own work per request.
 */
export const coreAt = (modulePath, stub) => async (mock) => {
  const { createClient: create } = await import(modulePath);
  const token = await control(mock, '/token');
  const fetch = stub ? await cannedFetch(mock, token) : undefined;
  const rc = create({
    server: mock.url,
    clientId: mock.clientId,
    clientSecret: mock.clientSecret,
    ...(fetch && { fetch }),
  });
  await rc.setToken(token);
  return { get: () => rc.get(PATH).json() };
};

async function cannedFetch(mock, token) {
  const reply = await globalThis.fetch(`${mock.url}/${PATH}`, {
    headers: { authorization: `Bearer ${token.access_token}` },
  });
  const body = await reply.text();
  const headers = [...reply.headers].filter(
    ([name]) => !/^(connection|keep-alive|transfer-encoding)$/i.test(name),
  );
  return async () => new Response(body, { status: reply.status, headers });
}

const noopObserver = {
  name: 'no-op observer',
  observe: {
    send: (_info, run) => run(),
    tokenRequest: (_info, run) => run(),
    tokenWait: (_info, run) => run(),
    rateLimitWait() {},
  },
};

/** Loaded only by the SDK contender: the others must not pay for its context manager. */
const otelSdk = async () => (await import('./otel-sdk.mjs')).otelSdk();
