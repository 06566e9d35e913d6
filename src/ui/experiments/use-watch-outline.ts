// Outlines the panel an open experiment watches, and scrolls it into view after an Open. The panel
// belongs to another component and may mount late (after the model is built) or be replaced (the
// toy panels come and go with the data set), so a light poll re-applies the outline, rather than
// a ref the panel would have to pass up. A panel on another tab gets its tab shown (app/tabs.ts).
import { useCallback, useEffect, useRef } from 'react';
import { revealPanel } from '../app/tabs';

export const WATCH_CLASS = 'experiment-watch';
const WATCH_ATTRIBUTE = 'data-experiment-watch';
const POLL_MS = 400;
/** An Open scrolls to the panel again when the layout changes (the new run's panels) this long after it. */
const SCROLL_WINDOW_MS = 60_000;

function watchedElement(testId: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid="${CSS.escape(testId)}"]`);
}

/** Puts the outline on `element` (when given) and takes it off every other element. */
function outlineOnly(element: HTMLElement | null, experimentId: string | null): void {
  for (const other of document.querySelectorAll<HTMLElement>(`[${WATCH_ATTRIBUTE}]`)) {
    if (other === element) continue;
    other.classList.remove(WATCH_CLASS);
    other.removeAttribute(WATCH_ATTRIBUTE);
  }
  if (element && experimentId) {
    element.classList.add(WATCH_CLASS);
    element.setAttribute(WATCH_ATTRIBUTE, experimentId);
  }
}

/**
 * Keeps `[data-testid=<watch>]` outlined while `experimentId` is open; returns a function that
 * scrolls it into view (now, or when it appears, and again at each `layoutKey` change shortly after).
 */
export function useWatchOutline(watch: string | null, experimentId: string | null, layoutKey: unknown): () => void {
  const scroll = useRef<{ until: number; done: boolean } | null>(null);

  const tick = useCallback(() => {
    const element = watch ? watchedElement(watch) : null;
    outlineOnly(element, experimentId);
    const request = scroll.current;
    if (!element || !request) return;
    if (Date.now() > request.until) scroll.current = null;
    else if (!request.done) {
      // On a hidden tab: show that tab first, and scroll at the next poll, once it is laid out.
      if (watch && element.getClientRects().length === 0) {
        revealPanel(watch);
        return;
      }
      request.done = true;
      element.scrollIntoView({ block: 'center' });
    }
  }, [watch, experimentId]);

  useEffect(() => {
    tick();
    const timer = window.setInterval(tick, POLL_MS);
    return () => {
      window.clearInterval(timer);
      outlineOnly(null, null);
    };
  }, [tick]);

  // New panels above the watched one (a rebuilt run) move it: scroll again, once per change.
  useEffect(() => {
    if (scroll.current) scroll.current.done = false;
    tick();
  }, [layoutKey, tick]);

  return useCallback(() => {
    scroll.current = { until: Date.now() + SCROLL_WINDOW_MS, done: false };
    tick();
  }, [tick]);
}
