// The tab strip over the outputs and the panels it switches (WAI-ARIA tabs: arrow keys move between
// tabs). Inactive panels stay mounted, only hidden, so charts keep their state; they are not rendered
// again while hidden (a read-back re-renders the page: a dozen hidden charts would redo their rows
// for nothing), and catch up, with the latest state, when their tab is shown.
import { memo, type KeyboardEvent, type ReactNode } from 'react';
import { TABS, type TabId } from './tabs';

interface BarProps {
  tab: TabId;
  onTab(tab: TabId): void;
  /** Beside the tabs (the chart settings). */
  children?: ReactNode;
}

export function TabBar({ tab, onTab, children }: BarProps) {
  const onKey = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const index = TABS.findIndex((t) => t.id === tab);
    const next = TABS[(index + step + TABS.length) % TABS.length].id;
    onTab(next);
    document.getElementById(`tab-${next}`)?.focus();
  };
  return (
    <div className="tab-row">
      <div className="tab-list" role="tablist" aria-label="Outputs" onKeyDown={onKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            data-testid={`tab-${t.id}`}
            aria-selected={t.id === tab}
            aria-controls={`tabpanel-${t.id}`}
            tabIndex={t.id === tab ? 0 : -1}
            className="tab"
            onClick={() => onTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {children}
    </div>
  );
}

export function TabPanel({ id, tab, children }: { id: TabId; tab: TabId; children: ReactNode }) {
  return (
    <section
      className={`tab-panel tab-panel-${id}`}
      role="tabpanel"
      id={`tabpanel-${id}`}
      aria-labelledby={`tab-${id}`}
      data-testid={`tabpanel-${id}`}
      hidden={id !== tab}
    >
      <RenderedWhileShown shown={id === tab}>{children}</RenderedWhileShown>
    </section>
  );
}

/** Keeps what it last rendered while hidden: new props are taken only once it is shown again. */
const RenderedWhileShown = memo(
  function RenderedWhileShown({ children }: { shown: boolean; children: ReactNode }) {
    return children;
  },
  (_previous, next) => !next.shown,
);
