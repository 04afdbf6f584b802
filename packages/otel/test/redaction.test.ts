import { passwordGrant } from '@rc/auth-password';
import { createClient } from '@rc/core';
import { describe, expect, it } from 'vitest';
import { otel } from '../src/index.js';
import { EXT, mockServer, sdk } from './fixtures.js';

const CLIENT_SECRET = 'SECRET-client-5f2a9c7e1b';
const PASSWORD = 'SECRET-password-8d3e6f0a';

describe('otel(): no secret in any span, event, attribute or metric', () => {
  it('drives logins, refreshes, 401s, echoing servers and a revoke, then searches everything exported', async () => {
    const server = await mockServer({
      clients: [{ clientId: 'otel-client', clientSecret: CLIENT_SECRET }],
      users: [
        { id: '101', username: '+16505550100', extension: '101', password: PASSWORD, name: 'Mock User' },
      ],
    });
    const telemetry = sdk();
    const plugin = otel({ tracerProvider: telemetry.tracerProvider, meterProvider: telemetry.meterProvider });
    const secrets = [CLIENT_SECRET, PASSWORD, server.jwt];
    const make = (grant?: ReturnType<typeof passwordGrant>) =>
      createClient({
        server: server.url,
        clientId: 'otel-client',
        clientSecret: CLIENT_SECRET,
        retry: 0,
        ...(grant ? { grant } : {}),
        plugins: [plugin],
      });
    const grant = passwordGrant({ username: '+16505550100', password: PASSWORD });
    const rc = make(grant);
    rc.on('token', (t) => secrets.push(t.accessToken, t.refreshToken ?? ''));
    const swallow = (p: Promise<unknown>) => p.catch(() => undefined);

    // A login a careless server answers by echoing the form (password, client secret) in its error.
    server.failNext({ path: '/restapi/oauth/token', status: 400, echo: true });
    await swallow(rc.get(EXT).json());
    await rc.get(EXT).json(); // the login, then the call
    // An API error that echoes the Authorization header (the access token).
    server.failNext({ path: EXT, status: 400, echo: true });
    await swallow(rc.get(EXT).json());
    // A 401, a refresh, a retry; then a refresh echoed back with the refresh token in it.
    server.invalidateAccessTokens();
    await rc.get(EXT).json();
    server.failNext({ path: '/restapi/oauth/token', status: 400, echo: true });
    await swallow(rc.refresh());
    await rc.refresh();
    await rc.get(EXT).json();
    // A JWT-shaped credential in a wrong login, and a revoke.
    await swallow(rc.authorize(passwordGrant({ username: '+16505550100', password: server.jwt })));
    await rc.revoke();

    const spans = telemetry.spans();
    expect(spans.map((s) => s.name)).toEqual(
      expect.arrayContaining(['rc.token.login', 'rc.token.refresh', 'rc.token.revoke']),
    );
    const exported = JSON.stringify({
      spans: spans.map((s) => ({
        name: s.name,
        attributes: s.attributes,
        events: s.events,
        status: s.status,
        links: s.links,
      })),
      metrics: await telemetry.metrics(),
    });
    const used = secrets.filter((s) => s.length > 0);
    expect(used.length).toBeGreaterThanOrEqual(7);
    for (const secret of used) expect(exported).not.toContain(secret);
    expect(exported).not.toMatch(/eyJ[\w-]{10,}/); // no part of a JWT
    expect(exported).not.toMatch(/Bearer|Basic /);
  });
});
