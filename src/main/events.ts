import type { EventName, EventPayload } from '../shared/contract';

type Listener = (name: EventName, payload: unknown) => void;

/** Events from services to whoever shows them (IPC to the renderer, the CLI's progress bar, tests). */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  /** Publishes an event to every subscriber. */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const l of this.listeners) l(name, payload);
  }

  /** Subscribes; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
