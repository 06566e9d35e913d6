// sigma(W) of each discriminator layer: the power iteration's estimate at each read-back (one line
// per layer) and, at each spectrum snapshot, the exact s_1 of the same raw weight (markers of the
// layer's colour), with the normalization switches and collapse alarms marked.
import { useMemo } from 'react';
import type { CollapseAlarm, SpectrumSnapshot } from '../../core/metrics/types';
import type { MetricsPoint, NormSwitch } from '../../core/train/types';
import { ChartPanel } from '../charts/ChartPanel';
import { layerColor } from '../charts/chart-style';
import { estimateKey, exactKey, sigmaExactRows, type SeriesSpec } from './observatory-rows';
import { TimeChart } from '../charts/TimeChart';

const NO_SPECTRA: readonly SpectrumSnapshot[] = [];

interface Props {
  history: readonly MetricsPoint[];
  layerNames: readonly string[];
  spectra?: readonly SpectrumSnapshot[];
  switches: readonly NormSwitch[];
  alarms?: readonly CollapseAlarm[];
}

export function SigmaChart({ history, layerNames, spectra = NO_SPECTRA, switches, alarms }: Props) {
  const rows = useMemo(() => sigmaExactRows(history, layerNames, spectra), [history, layerNames, spectra]);
  const hasExact = spectra.length > 0;
  const series = useMemo((): SeriesSpec[] => {
    const lines = layerNames.map((name, i) => ({ key: estimateKey(i), name, color: layerColor(i), smooth: true }));
    if (!hasExact) return lines;
    const markers = layerNames.map((name, i) => ({
      key: exactKey(i),
      name: `${name} exact`,
      color: layerColor(i),
      kind: 'marker' as const,
    }));
    return [...lines, ...markers];
  }, [layerNames, hasExact]);
  return (
    <ChartPanel
      title="Largest singular value per D layer"
      caption={
        "σ(W) of each raw discriminator weight: lines are the power iteration's estimate, ◆ the " +
        'exact s₁ at each spectrum snapshot. SN divides by it; without normalization it drifts.'
      }
      testId="chart-sigma"
      points={layerNames.length ? history.length : 0}
    >
      <TimeChart rows={rows} series={series} switches={switches} alarms={alarms} csvName="sigma" connectNulls />
    </ChartPanel>
  );
}
