/**
 * A tiny observable value and a hook to read it (instead of @preact/signals: one less package).
 */
import { useEffect, useState } from 'preact/hooks';

/** A value components can subscribe to. */
export interface Signal<T> {
  value: T;
  subscribe(listener: (value: T) => void): () => void;
}

/** Creates a {@link Signal}. */
export function signal<T>(initial: T): Signal<T> {
  let current = initial;
  const listeners = new Set<(value: T) => void>();
  return {
    get value() {
      return current;
    },
    set value(next: T) {
      current = next;
      for (const listener of listeners) listener(next);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Re-renders the component whenever `s` changes. */
export function useSignal<T>(s: Signal<T>): T {
  const [value, setValue] = useState(s.value);
  useEffect(() => s.subscribe(setValue), [s]);
  return value;
}
