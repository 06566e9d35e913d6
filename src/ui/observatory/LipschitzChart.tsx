// D's input-gradient norm |∇x D(x)| against the bound SN enforces, the product of the layers'
// effective spectral norms: under SN both stay near 1; without it they grow (SN paper, section 2.1).
import { useMemo } from 'react';
import type { CollapseAlarm, SpectrumSnapshot } from '../../core/metrics/types';
import type { MetricsPoint, NormSwitch } from '../../core/train/types';
import { ChartPanel } from '../charts/ChartPanel';
import { LIPSCHITZ_SERIES, lipschitzRows } from './lipschitz-rows';
import { TimeChart } from '../charts/TimeChart';

interface Props {
  history: readonly MetricsPoint[];
  spectra: readonly SpectrumSnapshot[];
  switches: readonly NormSwitch[];
  alarms?: readonly CollapseAlarm[];
}

export function LipschitzChart({ history, spectra, switches, alarms }: Props) {
  const rows = useMemo(() => lipschitzRows(history, spectra), [history, spectra]);
  return (
    <ChartPanel
      title="D's Lipschitz constant"
      caption={
        '|∇x D(x)| per sample on the real and the generated batch of the last D update before each ' +
        'read-back (max solid, ' +
        "mean dashed), and the product of the layers' effective largest singular values (red: a warm-started power " +
        'iteration at each read-back, diamonds: exact at each spectrum), the bound SN keeps at 1 ' +
        'for dense layers with ' +
        '1-Lipschitz activations.'
      }
      testId="chart-lipschitz"
      points={rows.length}
    >
      <TimeChart
        rows={rows}
        series={LIPSCHITZ_SERIES}
        switches={switches}
        alarms={alarms}
        csvName="lipschitz"
        defaultLog
      />
    </ChartPanel>
  );
}
