import type { RcClient } from '@rc/core';
import { abortable } from '@rc/core/kit';
import { Connection } from './connection.js';
import { SubscriptionError } from './errors.js';
import type { Shared } from './shared.js';
import { connectUrl, parseWsToken, type WsToken } from './wire.js';

// Opening a connection to the gateway: a ws token (`POST /restapi/oauth/wstoken`, through the
// client, so the token manager and the Auth group's rate limit apply), reused for reconnects until
// 80 % of its life (the Auth group allows about 5 calls a minute); then the socket, until
// ConnectionDetails. A token the gateway refuses is replaced at once, once.

type Opened = Awaited<ReturnType<typeof Connection.open>>;

/** A refused ws token: an Error frame with status 401, or a close 4401. */
const isRefusedToken = (error: unknown) => error instanceof SubscriptionError && error.status === 401;

export class Connector {
  readonly #s: Shared;
  readonly #rc: RcClient;
  #cached: { value: WsToken; expiresAt: number } | undefined;

  constructor(shared: Shared, rc: RcClient) {
    this.#s = shared;
    this.#rc = rc;
  }

  /**
   * Opens a connection (recovering the session of `wsc` when given). A refused ws token (a gateway
   * that accepts each once, one expired early or revoked) gets a new one at once, as RingCentral
   * asks before reconnecting; refused again, the error is the caller's (who backs off).
   */
  open(wsc: string | undefined): Promise<Opened> {
    return this.#open(wsc).catch((error: unknown) => {
      if (isRefusedToken(error) && !this.#s.closed) return this.#open(wsc);
      throw error;
    });
  }

  async #open(wsc: string | undefined): Promise<Opened> {
    const wsToken = await this.#token();
    const s = this.#s;
    s.secrets.add(wsc);
    const { url, safe } = connectUrl(wsToken, wsc);
    try {
      return await Connection.open({
        WebSocket: s.o.WebSocket,
        url,
        safeUrl: safe,
        connectTimeoutMs: s.o.connectTimeoutMs,
        heartbeatIntervalMs: s.o.heartbeatIntervalMs,
        heartbeatTimeoutMs: s.o.heartbeatTimeoutMs,
        requestTimeoutMs: s.o.requestTimeoutMs,
        secrets: s.secrets,
        signal: s.stop,
      });
    } catch (error) {
      if (isRefusedToken(error) && this.#cached?.value === wsToken) this.#cached = undefined;
      throw error;
    }
  }

  async #token(): Promise<WsToken> {
    const s = this.#s;
    const cached = this.#cached;
    if (cached && s.now() < cached.expiresAt) return cached.value;
    const reply = await abortable(this.#rc.post('restapi/oauth/wstoken', { signal: s.stop }).json(), s.stop);
    const value = parseWsToken(reply);
    s.secrets.add(value.token);
    // The access token that asked for it (a gateway may echo it too): from memory, no request.
    s.secrets.add((await abortable(this.#rc.getToken(), s.stop))?.accessToken);
    this.#cached = { value, expiresAt: s.now() + value.expiresInSec * 800 };
    return value;
  }
}
