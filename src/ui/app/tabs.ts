// The page's tabs and where each panel lives. The chosen tab is in the URL's hash (`#tab=spectra`), not
// its query: the query is the run's configuration (docs/url-fields.md), the hash only says what is shown.
import { useCallback, useEffect, useState } from 'react';

export type TabId = 'overview' | 'spectra' | 'quality' | 'runs';

export interface TabSpec {
  id: TabId;
  label: string;
  /** data-testid of the panels it holds (the experiments' `watch` names among them). */
  panels: readonly string[];
}

export const TABS: readonly TabSpec[] = [
  {
    id: 'overview',
    label: 'Training',
    panels: ['samples', 'toy-scatter', 'toy-heatmap', 'chart-loss', 'chart-sigma', 'chart-spectrum', 'chart-collapse'],
  },
  { id: 'spectra', label: 'Gradients & bounds', panels: ['chart-gradients', 'chart-lipschitz', 'chart-variance'] },
  { id: 'quality', label: 'Sample quality', panels: ['chart-modes', 'chart-proxies'] },
  { id: 'runs', label: 'Runs & files', panels: ['run-files', 'run-list', 'chart-compare'] },
];

export const DEFAULT_TAB: TabId = 'overview';

/** The tab a hash names: `#tab=spectra` or just `#spectra`; anything else is the default tab. */
export function tabOfHash(hash: string): TabId {
  const raw = hash.replace(/^#/, '');
  const name = new URLSearchParams(raw).get('tab') ?? raw;
  return TABS.find((tab) => tab.id === name)?.id ?? DEFAULT_TAB;
}

/** The hash for a tab: none for the default, so a plain link stays plain. */
export function hashOfTab(tab: TabId): string {
  return tab === DEFAULT_TAB ? '' : `#tab=${tab}`;
}

export function tabOfPanel(testId: string): TabId | null {
  return TABS.find((tab) => tab.panels.includes(testId))?.id ?? null;
}

/** Asks the page to show the tab holding a panel (an experiment's Open, a help link). */
const REVEAL_EVENT = 'reveal-panel';

export function revealPanel(testId: string): void {
  window.dispatchEvent(new CustomEvent<string>(REVEAL_EVENT, { detail: testId }));
}

/**
 * The tab shown, read from the hash on load and on hashchange (a typed or followed `#tab=` link);
 * choosing one rewrites the hash with replaceState, like the config's query (no Back-button entries).
 */
export function useTab(): [TabId, (tab: TabId) => void] {
  const [tab, setTabState] = useState<TabId>(() => tabOfHash(window.location.hash));

  const setTab = useCallback((next: TabId) => {
    setTabState(next);
    const { pathname, search } = window.location;
    const url = `${pathname}${search}${hashOfTab(next)}`;
    if (url !== `${pathname}${search}${window.location.hash}`)
      window.history.replaceState(window.history.state, '', url);
  }, []);

  useEffect(() => {
    const onHash = () => setTabState(tabOfHash(window.location.hash));
    const onReveal = (event: Event) => {
      const owner = tabOfPanel((event as CustomEvent<string>).detail);
      if (owner) setTab(owner);
    };
    window.addEventListener('hashchange', onHash);
    window.addEventListener(REVEAL_EVENT, onReveal);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener(REVEAL_EVENT, onReveal);
    };
  }, [setTab]);

  return [tab, setTab];
}
