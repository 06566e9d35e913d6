// D and G loss against G iterations, with the normalization switches and collapse alarms marked.
import { useMemo } from 'react';
import type { CollapseAlarm } from '../../core/metrics/types';
import type { MetricsPoint, NormSwitch } from '../../core/train/types';
import { ChartPanel } from '../charts/ChartPanel';
import { D_COLOR, G_COLOR } from '../charts/chart-style';
import type { SeriesSpec } from './observatory-rows';
import { TimeChart } from '../charts/TimeChart';
import { lossRows } from '../app/training-state';

const SERIES: readonly SeriesSpec[] = [
  { key: 'dLoss', name: 'D loss', color: D_COLOR, smooth: true },
  { key: 'gLoss', name: 'G loss', color: G_COLOR, smooth: true },
];

interface Props {
  history: readonly MetricsPoint[];
  switches: readonly NormSwitch[];
  alarms?: readonly CollapseAlarm[];
}

export function LossChart({ history, switches, alarms }: Props) {
  const rows = useMemo(() => lossRows(history), [history]);
  return (
    <ChartPanel
      title="Losses"
      caption="Discriminator and generator loss at each read-back."
      testId="chart-loss"
      points={history.length}
    >
      <TimeChart rows={rows} series={SERIES} switches={switches} alarms={alarms} csvName="loss" />
    </ChartPanel>
  );
}
