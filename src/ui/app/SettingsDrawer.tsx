// The data and settings panels in a column beside the outputs, scrolling on its own so the charts stay
// on the first screen; it folds to a narrow strip for more chart room. Open by default: the settings
// are half of what the page is for.
import { useState, type ReactNode } from 'react';

export function SettingsDrawer({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(true);
  return (
    <aside
      className={open ? 'settings-drawer' : 'settings-drawer settings-drawer-closed'}
      aria-label="Data and settings"
    >
      <button
        type="button"
        className="drawer-toggle"
        data-testid="settings-toggle"
        aria-expanded={open}
        aria-controls="settings-drawer-body"
        onClick={() => setOpen(!open)}
        title={open ? 'Fold the settings away for wider charts' : 'Show the data and settings panels'}
      >
        {open ? '◂ Hide settings' : '▸ Settings'}
      </button>
      <div className="settings-drawer-body" id="settings-drawer-body" hidden={!open}>
        {children}
      </div>
    </aside>
  );
}
