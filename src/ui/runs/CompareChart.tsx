// One metric of several runs on the same axes: the current run and every checked run of the run
// list, one line each, e.g. SN against SR-static on the same preset (the SR-GAN paper's comparison).
// Smoothing, log scale, tooltip, legend and CSV are SeriesChart's, as on every other chart.
import { useMemo, useState } from 'react';
import {
  COMPARE_METRICS,
  compareMetricOf,
  compareRows,
  runKey,
  type CompareMetricId,
} from '../../core/runs/compare-rows';
import { ChartPanel } from '../charts/ChartPanel';
import type { SeriesSpec } from '../observatory/observatory-rows';
import { SeriesChart } from '../charts/SeriesChart';
import type { CompareLine } from './use-run-list';

const EMPTY =
  'Nothing to compare yet: train (the current run is drawn), or keep runs and open run files in the ' +
  'run list and check them.';

export function CompareChart({ lines }: { lines: readonly CompareLine[] }) {
  const [metricId, setMetricId] = useState<CompareMetricId>('dLoss');
  const metric = compareMetricOf(metricId) ?? COMPARE_METRICS[0];
  const runs = useMemo(() => lines.map((line) => line.run), [lines]);
  const { rows, valueCounts, drawnRuns } = useMemo(() => compareRows(runs, metric.id), [runs, metric.id]);
  const series = useMemo(
    (): SeriesSpec[] =>
      lines.map((line, i) => {
        const spec = { key: runKey(i), name: line.run.name, color: line.color };
        // A single value (e.g. the untrained run's first read-back) is no line: a dot shows it.
        if (valueCounts[i] === 1) return { ...spec, kind: 'marker', marker: 'circle' };
        return { ...spec, smooth: metric.readBack, width: line.live ? 2.5 : 1.5 };
      }),
    [lines, valueCounts, metric.readBack],
  );

  const picker = (
    <label className="chart-picker">
      <span className="visually-hidden">Metric</span>
      <select
        value={metric.id}
        onChange={(event) => setMetricId(event.target.value as CompareMetricId)}
        data-testid="compare-metric"
      >
        {COMPARE_METRICS.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <ChartPanel
      title={`Compare runs: ${metric.name}`}
      caption={
        'The current run (dark, wide) and each checked run of the run list, on a shared iteration ' +
        'axis. Proxy numbers compare only at the same N and proxy recipe.'
      }
      testId="chart-compare"
      points={drawnRuns}
      empty={
        lines.length > 0
          ? `No ${metric.name} values in the drawn runs ` +
            `(${metric.readBack ? 'no read-backs yet' : 'no sample-quality evaluations'}).`
          : EMPTY
      }
      controls={picker}
      wide
    >
      <SeriesChart rows={rows} series={series} csvName="compare" connectNulls />
    </ChartPanel>
  );
}
