// A value kept outside React state, read (useExternal) by the one component that shows it: changing
// it re-renders that component only, not the page (the run store's events arrive while the page is
// busy, e.g. during an autosave).
import { useEffect, useState } from 'react';

export class ExternalValue<T> {
  private readonly listeners = new Set<() => void>();

  constructor(private value: T) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly get = (): T => this.value;

  set(value: T): void {
    if (Object.is(value, this.value)) return;
    this.value = value;
    for (const listener of this.listeners) listener();
  }
}

/**
 * The value, as ordinary React state: a change renders in React's next batch with the page's other
 * updates, not synchronously inside the event that made it (as useSyncExternalStore would).
 */
export function useExternal<T>(subscribe: (listener: () => void) => () => void, get: () => T): T {
  const [value, setValue] = useState(get);
  useEffect(() => {
    setValue(get);
    return subscribe(() => setValue(get));
  }, [subscribe, get]);
  return value;
}
