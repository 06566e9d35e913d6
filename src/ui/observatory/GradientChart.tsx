// The discriminator's gradient norm |dL_D/dW| per layer and for the whole D at each read-back: SN's
// promise (BSSN paper) is that it neither explodes nor vanishes. Log scale by default.
import { useMemo } from 'react';
import type { CollapseAlarm } from '../../core/metrics/types';
import type { MetricsPoint, NormSwitch } from '../../core/train/types';
import { ChartPanel } from '../charts/ChartPanel';
import { layerColor, TOTAL_COLOR } from '../charts/chart-style';
import { GRAD_TOTAL_KEY, gradKey, gradientRows, type SeriesSpec } from './observatory-rows';
import { TimeChart } from '../charts/TimeChart';

interface Props {
  history: readonly MetricsPoint[];
  layerNames: readonly string[];
  switches: readonly NormSwitch[];
  alarms?: readonly CollapseAlarm[];
}

export function GradientChart({ history, layerNames, switches, alarms }: Props) {
  const rows = useMemo(() => gradientRows(history, layerNames), [history, layerNames]);
  const series = useMemo(
    (): SeriesSpec[] => [
      ...layerNames.map((name, i) => ({ key: gradKey(i), name, color: layerColor(i), smooth: true })),
      { key: GRAD_TOTAL_KEY, name: 'whole D', color: TOTAL_COLOR, smooth: true, width: 2.5 },
    ],
    [layerNames],
  );
  return (
    <ChartPanel
      title="D gradient norms"
      caption={
        '|∂L_D/∂W| of each discriminator layer (weight and bias) at the last D update before each ' +
        'read-back, and of the whole D. Exploding or vanishing gradients show here.'
      }
      testId="chart-gradients"
      points={layerNames.length ? history.length : 0}
    >
      <TimeChart rows={rows} series={series} switches={switches} alarms={alarms} csvName="gradients" defaultLog />
    </ChartPanel>
  );
}
