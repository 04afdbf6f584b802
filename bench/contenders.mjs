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

// ky 1 passes the Request to a hook, ky 2 a state object holding it.
const bearerHook = (authorization) => (arg) => {
  (arg instanceof Request ? arg : arg.request).headers.set('authorization', authorization);
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
  // @rc/otel with no OpenTelemetry SDK registered (what a library user who installs it but never
  // configures OpenTelemetry pays), and with an SDK: a context manager, every span recorded and
  // batched to an exporter that drops them, the metrics aggregated (see otel-sdk.mjs).
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

/** Loaded only by the SDK contender: the others must not pay for its context manager. */
const otelSdk = async () => (await import('./otel-sdk.mjs')).otelSdk();
