import { undiciFetch } from '@rc/transport-undici';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { httpServer, json, type Route } from './server.js';

const fetches: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(fetches.splice(0).map((f) => f.close()));
});
function make(options?: Parameters<typeof undiciFetch>[0]) {
  const f = undiciFetch(options);
  fetches.push(f);
  return f;
}

const echo: Record<string, Route> = { '/echo': (_req, res, body) => json(res, { body }) };

describe('requests', () => {
  it('sends method, headers and a small body with a Content-Length, from a URL string or a Request', async () => {
    const server = await httpServer(echo);
    const f = make();
    const a = await f(`${server.url}/echo?x=1`, { method: 'POST', body: 'hello', headers: { 'x-app': 'a' } });
    expect(await a.json()).toEqual({ body: 'hello' });
    await f(new Request(`${server.url}/echo`, { method: 'PUT', body: new URLSearchParams({ a: 'b' }) }));
    await f(new URL(`${server.url}/echo`));
    const [first, second, third] = server.seen;
    expect(first).toMatchObject({ method: 'POST', url: '/echo?x=1', body: 'hello' });
    expect(first!.headers).toMatchObject({
      'x-app': 'a',
      'content-length': '5',
      'content-type': 'text/plain;charset=UTF-8',
    });
    expect(second).toMatchObject({ method: 'PUT', body: 'a=b' });
    expect(second!.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(third).toMatchObject({ method: 'GET', body: '' });
  });

  it('sends the path and query as URL has them (no fragment, no empty query); url is the one requested', async () => {
    const server = await httpServer(echo);
    const f = make();
    const res = await f(`${server.url}/echo/a%20b?x=1&y=%2F#frag`);
    expect(res.url).toBe(`${server.url}/echo/a%20b?x=1&y=%2F#frag`);
    await f(`${server.url}/echo?`);
    await f(`${server.url}/echo?a=?#?`);
    await f(`${server.url}/echo/..//x/./y`);
    expect(server.seen.map((r) => r.url)).toEqual(['/echo/a%20b?x=1&y=%2F', '/echo', '/echo?a=?', '//x/y']);
  });

  it('streams a request body of many chunks (chunked, not buffered whole)', async () => {
    const server = await httpServer(echo);
    const f = make();
    const parts = ['a', 'b', 'c', 'd'];
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        const next = parts.shift();
        if (next === undefined) c.close();
        else c.enqueue(new TextEncoder().encode(next));
      },
    });
    const res = await f(`${server.url}/echo`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(await res.json()).toEqual({ body: 'abcd' });
    expect(server.seen[0]!.headers['transfer-encoding']).toBe('chunked');
  });

  it('a ky-style init with only vendor options keeps the given Request as it is', async () => {
    const server = await httpServer(echo);
    const f = make();
    const req = new Request(`${server.url}/echo`, { method: 'POST', body: 'x', headers: { a: '1' } });
    const res = await f(req, { dispatcher: new Agent() } as RequestInit);
    expect(await res.json()).toEqual({ body: 'x' });
    expect(server.seen[0]!.headers.a).toBe('1');
  });

  it('a Request plus init.headers sends the Request with those headers instead of its own, as fetch does', async () => {
    // The path core's auth takes on every request (the token rides in init.headers): read without
    // building a second Request, with the global fetch's replace-not-merge semantics.
    const server = await httpServer(echo);
    const f = make();
    const req = new Request(`${server.url}/echo`, { method: 'POST', body: 'x', headers: { a: '1' } });
    const res = await f(req, { headers: new Headers({ b: '2' }) });
    expect(await res.json()).toEqual({ body: 'x' });
    const again = new Request(`${server.url}/echo`, { method: 'POST', body: 'x', headers: { a: '1' } });
    await (await f(again, { headers: { c: '3' } })).text();
    const global = await fetch(
      new Request(`${server.url}/echo`, { method: 'POST', body: 'x', headers: { a: '1' } }),
      {
        headers: { b: '2' },
      },
    );
    await global.text();
    expect(server.seen.map((s) => [s.headers.a, s.headers.b, s.headers.c])).toEqual([
      [undefined, '2', undefined],
      [undefined, undefined, '3'],
      [undefined, '2', undefined],
    ]);
  });
});

describe('responses', () => {
  it('status, statusText, headers (repeated ones too), url, json, text, clone and body', async () => {
    const server = await httpServer({
      '/r': (_req, res) => {
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        res.writeHead(201, 'Made', { 'x-one': '1', 'content-type': 'application/json' }).end('{"ok":true}');
      },
      '/empty': (_req, res) => res.writeHead(204).end(),
    });
    const f = make();
    const res = await f(`${server.url}/r`);
    expect(res).toBeInstanceOf(Response);
    expect([res.status, res.statusText, res.ok, res.url, res.redirected]).toEqual([
      201,
      'Made',
      true,
      `${server.url}/r`,
      false,
    ]);
    expect(res.headers.get('x-one')).toBe('1');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const copy = res.clone();
    expect(copy.url).toBe(`${server.url}/r`);
    expect(await copy.text()).toBe('{"ok":true}');
    expect(res.body).toBeInstanceOf(ReadableStream);
    expect(await res.json()).toEqual({ ok: true });
    const empty = await f(`${server.url}/empty`);
    expect([empty.status, empty.body]).toEqual([204, null]);
    const head = await f(`${server.url}/r`, { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([201, null]);
  });

  it('streams the response body: the first chunk is readable before the server ends', async () => {
    let finish!: () => void;
    const server = await httpServer({
      '/stream': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first;');
        finish = () => res.end('last');
      },
    });
    const f = make();
    const res = await f(`${server.url}/stream`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('first;');
    finish();
    const rest = await reader.read();
    expect(new TextDecoder().decode(rest.value)).toBe('last');
    expect((await reader.read()).done).toBe(true);
  });
});

describe('signals and errors', () => {
  it('an aborted signal rejects with its reason, before the send, while waiting and while the body streams', async () => {
    const server = await httpServer({
      '/slow': () => {}, // never answers
      '/half': (_req, res) => {
        res.writeHead(200);
        res.write('part');
      },
    });
    const f = make();
    await expect(f(`${server.url}/slow`, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    await expect(f(`${server.url}/slow`, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    const controller = new AbortController();
    const res = await f(`${server.url}/half`, { signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a network failure is TypeError("fetch failed") with undici’s error as cause', async () => {
    const f = make();
    const error = await f('http://127.0.0.1:1/').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
  });

  it('a connection reset while the body streams errors the body with TypeError("terminated")', async () => {
    const server = await httpServer({
      '/reset': (_req, res) => {
        res.writeHead(200, { 'content-length': '100' });
        res.write('only part');
        setTimeout(() => res.destroy(), 20);
      },
    });
    const f = make();
    const res = await f(`${server.url}/reset`);
    await expect(res.text()).rejects.toMatchObject({ name: 'TypeError', message: 'terminated' });
  });
});

describe('redirects', () => {
  async function redirecting() {
    const other = await httpServer(echo);
    const server = await httpServer({
      ...echo,
      '/302': (_req, res) => res.writeHead(302, { location: '/echo' }).end('moved'),
      '/303': (_req, res) => res.writeHead(303, { location: '/echo' }).end(),
      '/307': (_req, res) => res.writeHead(307, { location: '/echo' }).end(),
      '/away': (_req, res) => res.writeHead(302, { location: `${other.url}/echo` }).end(),
      '/loop': (_req, res) => res.writeHead(302, { location: '/loop' }).end(),
    });
    return { server, other };
  }

  it('follows by default: url and redirected set, 303 and POST-302 become a bodiless GET, 307 re-sends the body', async () => {
    const { server } = await redirecting();
    const f = make();
    const res = await f(`${server.url}/302`);
    expect([res.status, res.url, res.redirected]).toEqual([200, `${server.url}/echo`, true]);
    await f(`${server.url}/303`, { method: 'PUT', body: 'x', headers: { 'content-type': 'text/plain' } });
    expect(server.seen.at(-1)).toMatchObject({ method: 'GET', body: '' });
    expect(server.seen.at(-1)!.headers['content-type']).toBeUndefined();
    await f(`${server.url}/302`, { method: 'POST', body: 'x' });
    expect(server.seen.at(-1)).toMatchObject({ method: 'GET', body: '' });
    await f(`${server.url}/307`, { method: 'POST', body: 'again' });
    expect(server.seen.at(-1)).toMatchObject({ method: 'POST', body: 'again' });
  });

  it('drops credentials when a redirect leaves the origin, and stops after 20', async () => {
    const { server, other } = await redirecting();
    const f = make();
    await f(`${server.url}/away`, { headers: { authorization: 'Bearer secret', 'x-keep': '1' } });
    expect(other.seen[0]!.headers.authorization).toBeUndefined();
    expect(other.seen[0]!.headers['x-keep']).toBe('1');
    await expect(f(`${server.url}/loop`)).rejects.toMatchObject({
      message: 'fetch failed',
      cause: { message: 'redirect count exceeded' },
    });
    expect(server.seen.filter((s) => s.url === '/loop')).toHaveLength(21);
  });

  it("'manual' hands back the 3xx response; 'error' rejects", async () => {
    const { server } = await redirecting();
    const f = make();
    const res = await f(`${server.url}/302`, { redirect: 'manual' });
    expect([res.status, res.headers.get('location'), await res.text()]).toEqual([302, '/echo', 'moved']);
    await expect(f(`${server.url}/302`, { redirect: 'error' })).rejects.toMatchObject({
      message: 'fetch failed',
    });
  });

  it('a streamed body cannot be re-sent on a 307', async () => {
    const { server } = await redirecting();
    const f = make();
    const body = new ReadableStream({
      start(c) {
        c.enqueue(new Uint8Array([1]));
        c.enqueue(new Uint8Array([2]));
        c.close();
      },
    });
    await expect(
      f(`${server.url}/307`, { method: 'POST', body, duplex: 'half' } as RequestInit),
    ).rejects.toMatchObject({ message: 'fetch failed' });
  });
});

describe('options and the pool', () => {
  it('refuses bad options at the call, naming them', () => {
    expect(() => undiciFetch({ connections: 0 })).toThrow(/"connections"/);
    expect(() => undiciFetch({ pipelining: 1.5 })).toThrow(/"pipelining"/);
    expect(() => undiciFetch({ keepAliveTimeoutMs: -1 })).toThrow(/"keepAliveTimeoutMs"/);
    expect(() => undiciFetch({ dispatcher: {} as never })).toThrow(/"dispatcher"/);
    expect(() => undiciFetch({ dispatcher: new Agent(), connections: 2 })).toThrow(/"connections"/);
    expect(() => undiciFetch({ keepAlive: 1 } as never)).toThrow(/"keepAlive" is not an option/);
  });

  it('close() closes its own pool, and leaves a given dispatcher to its creator', async () => {
    const server = await httpServer(echo);
    const own = undiciFetch({ connections: 2, pipelining: 1, keepAliveTimeoutMs: 1000 });
    await (await own(`${server.url}/echo`)).text();
    await own.close();
    await expect(own(`${server.url}/echo`)).rejects.toMatchObject({ message: 'fetch failed' });

    const agent = new Agent();
    const given = undiciFetch({ dispatcher: agent });
    expect(given.dispatcher).toBe(agent);
    await given.close();
    expect(await (await given(`${server.url}/echo`)).json()).toEqual({ body: '' });
    await agent.close();
  });
});
