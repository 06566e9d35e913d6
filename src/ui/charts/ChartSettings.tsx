// Settings every chart on the page shares (TensorBoard's "settings" pane, reduced to what we need):
// the EMA smoothing weight of the lines read back every few iterations. Held in a context so the
// bar and the charts need no props threaded through the panels; outside a provider charts see the
// default and the bar does nothing.
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { PanelHeading } from './PanelHeading';

/** TensorBoard's default scalar smoothing. */
export const DEFAULT_SMOOTHING = 0.6;
export const MAX_SMOOTHING = 0.99;

interface ChartSettings {
  smoothing: number;
  setSmoothing: (weight: number) => void;
}

const ChartSettingsContext = createContext<ChartSettings>({ smoothing: DEFAULT_SMOOTHING, setSmoothing: () => {} });

export function ChartSettingsProvider({ children }: { children: ReactNode }) {
  const [smoothing, setSmoothing] = useState(DEFAULT_SMOOTHING);
  const value = useMemo(() => ({ smoothing, setSmoothing }), [smoothing]);
  return <ChartSettingsContext.Provider value={value}>{children}</ChartSettingsContext.Provider>;
}

/** The EMA weight in [0, MAX_SMOOTHING]; 0 = raw lines only. */
export function useSmoothing(): number {
  return useContext(ChartSettingsContext).smoothing;
}

export function ChartSettingsBar() {
  const { smoothing, setSmoothing } = useContext(ChartSettingsContext);
  const slider = (
    <label className="chart-smoothing">
      Smoothing
      <input
        type="range"
        min={0}
        max={MAX_SMOOTHING}
        step={0.01}
        value={smoothing}
        data-testid="chart-smoothing"
        onChange={(event) => {
          const weight = Number(event.target.value);
          setSmoothing(Number.isFinite(weight) ? Math.min(MAX_SMOOTHING, Math.max(0, weight)) : 0);
        }}
      />
      <output>{smoothing.toFixed(2)}</output>
    </label>
  );
  // What the smoothing does is in the help note (panel-help.ts), so the bar fits beside the tabs.
  return (
    <div className="chart-settings" data-testid="chart-settings">
      <PanelHeading title="Chart settings" helpId="chart-settings" controls={slider} />
    </div>
  );
}
