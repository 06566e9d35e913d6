// The collapse indicator of each D layer at each spectrum snapshot, with the alarms it raised and
// the normalization switches marked.
import { useMemo } from 'react';
import type { CollapseAlarm, SpectrumSnapshot } from '../../core/metrics/types';
import type { NormSwitch } from '../../core/train/types';
import { ChartPanel, NO_SPECTRA } from '../charts/ChartPanel';
import { layerColor } from '../charts/chart-style';
import { collapseKey, collapseRows, spectrumLayerNames, type SeriesSpec } from './observatory-rows';
import { TimeChart } from '../charts/TimeChart';

interface Props {
  spectra: readonly SpectrumSnapshot[];
  switches: readonly NormSwitch[];
  alarms: readonly CollapseAlarm[];
  /** The alarm's settings, quoted in the caption when given. */
  collapseDrop?: number;
  collapseWindow?: number;
  collapsePersist?: number;
}

export function CollapseChart({ spectra, switches, alarms, collapseDrop, collapseWindow, collapsePersist }: Props) {
  const layerKey = spectrumLayerNames(spectra).join('\n');
  const layerNames = useMemo(() => (layerKey ? layerKey.split('\n') : []), [layerKey]);
  const rows = useMemo(() => collapseRows(spectra, layerNames), [spectra, layerNames]);
  const series = useMemo(
    (): SeriesSpec[] => layerNames.map((name, i) => ({ key: collapseKey(i), name, color: layerColor(i) })),
    [layerNames],
  );
  const now =
    collapseDrop !== undefined && collapseWindow !== undefined
      ? ` (now ${collapseDrop}, ${collapseWindow}${collapsePersist !== undefined ? ` and ${collapsePersist}` : ''})`
      : '';
  return (
    <ChartPanel
      title="Spectral collapse indicator"
      caption={
        <>
          Collapse indicator = stable rank / number of singular values = (Σ s<sub>i</sub>²/s<sub>1</sub>²)/r of the
          effective weight; 1 = flat spectrum, small = one direction dominates. Alarm when it falls below (1 −{' '}
          <code>collapsedrop</code>) × its peak over the previous <code>collapsewindow</code> snapshots and stays below
          for <code>collapsepersist</code> snapshots in a row{now}.
        </>
      }
      testId="chart-collapse"
      points={spectra.length}
      empty={NO_SPECTRA}
    >
      <TimeChart rows={rows} series={series} switches={switches} alarms={alarms} csvName="collapse" />
    </ChartPanel>
  );
}
