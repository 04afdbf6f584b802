import type { SubscriptionEventName, SubscriptionEvents } from './types.js';

export const EVENT_NAMES: readonly SubscriptionEventName[] = [
  'notification',
  'connected',
  'recovered',
  'resubscribed',
  'error',
];

/**
 * A minimal typed emitter: a listener that throws is reported on 'error', never breaks delivery.
 * Not core's (events.ts) on purpose: `emit` here awaits each listener in turn, so notifications
 * are delivered in order with back-pressure; core's is synchronous and reports failures on the
 * console. They share only the listener map.
 */
export class Emitter {
  readonly #listeners = new Map<SubscriptionEventName, Set<(...args: never[]) => unknown>>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  on<E extends SubscriptionEventName>(event: E, listener: SubscriptionEvents[E]): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    const fn = listener as (...args: never[]) => unknown;
    set.add(fn);
    return () => {
      set.delete(fn);
    };
  }

  /** Calls every listener of `event` in order; resolves when the promises they return settle. */
  async emit<E extends SubscriptionEventName>(
    event: E,
    ...args: Parameters<SubscriptionEvents[E]>
  ): Promise<void> {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        await (fn as (...a: typeof args) => unknown)(...args);
      } catch (error) {
        if (event === 'error') continue; // an error listener's own error has nowhere to go
        this.#onListenerError(error);
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
