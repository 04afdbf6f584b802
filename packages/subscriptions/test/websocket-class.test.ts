import { describe, expect, expectTypeOf, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import type { SubscribeOptions, WebSocketConstructor } from '../src/index.js';
import { FILTERS } from './helpers.js';

// The README's fallback for runtimes without a global WebSocket, `{ WebSocket: (await
// import('ws')).WebSocket }`, must type-check as written (with @types/ws installed): ws's class
// and the runtime's both fit the `WebSocket` option without a cast. Checked by `typecheck`.

describe('the WebSocket option', () => {
  it("takes ws's class and the global WebSocket as they are", () => {
    expectTypeOf(WsWebSocket).toExtend<WebSocketConstructor>();
    expectTypeOf(globalThis.WebSocket).toExtend<WebSocketConstructor>();
    const options: SubscribeOptions[] = [
      { eventFilters: FILTERS, WebSocket: WsWebSocket },
      { eventFilters: FILTERS, WebSocket: globalThis.WebSocket },
    ];
    expect(options.map((o) => typeof o.WebSocket)).toEqual(['function', 'function']);
  });
});
