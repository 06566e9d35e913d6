// sigma(W) of each discriminator layer, the power iteration's estimate: one line per layer, with
// the normalization switches marked.
import type { MetricsPoint, NormSwitch } from '../core/train/types';
import { ChartPanel } from './ChartPanel';
import { layerColor } from './chart-style';
import { TimeChart } from './TimeChart';
import { sigmaRows } from './training-state';

interface Props {
  history: readonly MetricsPoint[];
  layerNames: readonly string[];
  switches: readonly NormSwitch[];
}

export function SigmaChart({ history, layerNames, switches }: Props) {
  return (
    <ChartPanel
      title="Largest singular value per D layer"
      caption="σ(W) of each raw discriminator weight. SN divides by it; without normalization it drifts."
      testId="chart-sigma"
      points={layerNames.length ? history.length : 0}
    >
      <TimeChart
        rows={sigmaRows(history, layerNames)}
        lines={layerNames.map((name, i) => ({ dataKey: name, color: layerColor(i) }))}
        switches={switches}
      />
    </ChartPanel>
  );
}
