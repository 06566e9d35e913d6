// D and G loss against G iterations, with the normalization switches marked.
import type { MetricsPoint, NormSwitch } from '../core/train/types';
import { ChartPanel } from './ChartPanel';
import { D_COLOR, G_COLOR } from './chart-style';
import { TimeChart } from './TimeChart';
import { lossRows } from './training-state';

const LINES = [
  { dataKey: 'dLoss', name: 'D loss', color: D_COLOR },
  { dataKey: 'gLoss', name: 'G loss', color: G_COLOR },
];

interface Props {
  history: readonly MetricsPoint[];
  switches: readonly NormSwitch[];
}

export function LossChart({ history, switches }: Props) {
  return (
    <ChartPanel title="Losses" caption="Discriminator and generator loss at each read-back." testId="chart-loss" points={history.length}>
      <TimeChart rows={lossRows(history)} lines={LINES} switches={switches} />
    </ChartPanel>
  );
}
