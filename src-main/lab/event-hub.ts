import type { EventData, EventName } from '../api/contract'

export type EventListener = (name: EventName, data: unknown) => void

/** Fans events out to every connected client (windows, WebSocket sessions, the CLI). */
export class EventHub {
  private listeners = new Set<EventListener>()

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit<E extends EventName>(name: E, data: EventData<E>): void {
    for (const listener of this.listeners) {
      try {
        listener(name, data)
      } catch {
        // A client that fails to take an event must not stop the others from getting it.
      }
    }
  }
}
