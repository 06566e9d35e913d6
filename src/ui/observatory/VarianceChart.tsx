// The BSSN paper's argument for SN, per D layer: the variance of the effective weight's elements
// against the LeCun-like bound 1/max(m, n) and the Xavier-like 2/(fan_in + fan_out) at the latest
// snapshot, and their ratio over the run.
import { useMemo } from 'react';
import type { CollapseAlarm, SpectrumSnapshot } from '../../core/metrics/types';
import type { NormSwitch } from '../../core/train/types';
import { ChartPanel, NO_SPECTRA } from '../charts/ChartPanel';
import { D_COLOR, G_COLOR, layerColor } from '../charts/chart-style';
import {
  boundNames,
  ratioKey,
  spectrumLayerNames,
  varianceRatioRows,
  varianceRows,
  type SeriesSpec,
} from './observatory-rows';
import { SeriesChart, type XSpec } from '../charts/SeriesChart';
import { TimeChart } from '../charts/TimeChart';

const LAYER_X: XSpec = { key: 'layer', name: 'layer', categorical: true };
const BOUND_GUIDE = [{ y: 1, label: 'variance = 1/max(m,n)' }];

interface Props {
  spectra: readonly SpectrumSnapshot[];
  switches: readonly NormSwitch[];
  alarms?: readonly CollapseAlarm[];
}

export function VarianceChart({ spectra, switches, alarms }: Props) {
  const latest = spectra.length ? spectra[spectra.length - 1] : undefined;
  const rows = useMemo(() => varianceRows(latest), [latest]);
  const norm = latest?.norm;
  const series = useMemo((): SeriesSpec[] => {
    const names = boundNames(norm);
    return [
      { key: 'variance', name: 'Var(effective W)', color: D_COLOR, kind: 'marker', marker: 'circle' },
      { key: 'lecun', name: names.lecun, color: '#1565c0', kind: 'marker', marker: 'dash' },
      { key: 'xavier', name: names.xavier, color: G_COLOR, kind: 'marker', marker: 'dash' },
    ];
  }, [norm]);

  const layerKey = spectrumLayerNames(spectra).join('\n');
  const layerNames = useMemo(() => (layerKey ? layerKey.split('\n') : []), [layerKey]);
  const ratioRows = useMemo(() => varianceRatioRows(spectra, layerNames), [spectra, layerNames]);
  const ratioSeries = useMemo(
    (): SeriesSpec[] => layerNames.map((name, i) => ({ key: ratioKey(i), name, color: layerColor(i) })),
    [layerNames],
  );

  return (
    <ChartPanel
      title="Weight variance against its bounds"
      caption={
        `Variance of each effective D weight's ` +
        `elements${latest ? ` at iteration ${latest.iteration}` : ''}, against 1/max(m, n) and ` +
        `2/(fan_in + fan_out). BSSN paper (Lin et al. 2021): SN keeps Var(W/σ(W)) near 1/max(m, n), ` +
        `like LeCun initialization, so gradients do not vanish.`
      }
      testId="chart-variance"
      points={spectra.length}
      empty={NO_SPECTRA}
    >
      <SeriesChart rows={rows} series={series} x={LAYER_X} csvName="variance" defaultLog />
      <TimeChart
        heading="Variance / (1/max(m,n)) over the run"
        rows={ratioRows}
        series={ratioSeries}
        switches={switches}
        alarms={alarms}
        csvName="variance-ratio"
        guides={BOUND_GUIDE}
        defaultLog
      />
    </ChartPanel>
  );
}
