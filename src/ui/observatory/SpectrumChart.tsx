// The normalized singular values s_i / s_1 of each D layer's effective weight (the one the forward
// pass uses), one curve per spectrum snapshot from light (old) to dark (new), and the whole history
// as a heat map. Spectral collapse (SR-GAN) shows as most of the curve dropping.
import { useMemo, useState } from 'react';
import type { SpectrumSnapshot } from '../../core/metrics/types';
import { ChartPanel, NO_SPECTRA } from '../charts/ChartPanel';
import { rampColor, SMALL_CHART_HEIGHT } from '../charts/chart-style';
import { downloadCsv } from '../charts/download-csv';
import { spectrumCsvTable, spectrumLayerNames, type SeriesSpec } from './observatory-rows';
import { spectrumCurvePicks, spectrumCurveRows, spectrumHeatmap } from './spectrum-rows';
import { ChartTools, SeriesChart, SeriesLegend, useToggleSet, type XSpec } from '../charts/SeriesChart';
import { SpectrumHeatmap } from './SpectrumHeatmap';

/** Curves drawn per chart: this many evenly spaced snapshots, plus the latest. */
const MAX_CURVES = 12;
const ALL = 'all';
const INDEX_X: XSpec = { key: 'index', name: 'index i' };

interface Props {
  spectra: readonly SpectrumSnapshot[];
  /** Snapshots dropped because the spectrum worker was still busy (see use-training-worker). */
  skipped?: number;
}

/** What the latest snapshot cost, so the price of `spectra` is visible. */
function costNote(spectra: readonly SpectrumSnapshot[], skipped: number): string {
  const last = spectra[spectra.length - 1];
  if (!last) return '';
  const busy = skipped ? `; ${skipped} snapshot${skipped === 1 ? '' : 's'} skipped while the worker was busy` : '';
  return (
    ` Last snapshot (iteration ${last.iteration}): ${(last.computeSeconds * 1000).toFixed(0)} ` +
    `ms of float64 decomposition in the spectrum worker${busy}.`
  );
}

export function SpectrumChart({ spectra, skipped = 0 }: Props) {
  const layerKey = spectrumLayerNames(spectra).join('\n');
  const layerNames = useMemo(() => (layerKey ? layerKey.split('\n') : []), [layerKey]);
  const [choice, setChoice] = useState<string>('0');
  const all = choice === ALL;
  // A new run may have fewer layers than the one the choice was made for.
  const layer = all ? -1 : Math.min(Math.max(0, Number(choice) || 0), Math.max(0, layerNames.length - 1));

  const [log, setLog] = useState(true);
  const [hidden, toggle] = useToggleSet();

  const curves = useMemo(() => spectrumCurvePicks(spectra, MAX_CURVES), [spectra]);
  const series = useMemo(
    (): SeriesSpec[] =>
      curves.map((curve, k) => ({
        key: curve.key,
        name: `iteration ${curve.iteration}`,
        color: rampColor(curves.length > 1 ? k / (curves.length - 1) : 1),
        width: k === curves.length - 1 ? 2.5 : 1.25,
      })),
    [curves],
  );
  const charts = useMemo(
    () =>
      (all ? layerNames.map((_, i) => i) : layerNames.length ? [layer] : []).map((i) => ({
        name: layerNames[i],
        rows: spectrumCurveRows(spectra, i, curves).rows,
      })),
    [all, layer, layerNames, spectra, curves],
  );
  const heatmap = useMemo(
    () => (all || !layerNames.length ? null : spectrumHeatmap(spectra, layer)),
    [all, layer, layerNames, spectra],
  );

  const onCsv = () => downloadCsv('chart-spectrum.csv', spectrumCsvTable(charts, series));

  const picker = layerNames.length > 0 && (
    <label className="chart-picker">
      <span className="visually-hidden">D layer</span>
      <select
        value={all ? ALL : String(layer)}
        onChange={(event) => setChoice(event.target.value)}
        data-testid="spectrum-layer-select"
      >
        {layerNames.map((name, i) => (
          <option key={`${i}-${name}`} value={String(i)}>
            {name}
          </option>
        ))}
        <option value={ALL}>all layers</option>
      </select>
    </label>
  );

  return (
    <ChartPanel
      title="Singular value spectrum"
      caption={
        `Normalized singular values s_i/s_1 of the weight the discriminator uses (after ` +
        `normalization), per snapshot, light = old, dark = new. Spectral collapse: most of the ` +
        `curve drops.${costNote(spectra, skipped)}`
      }
      testId="chart-spectrum"
      points={spectra.length}
      empty={NO_SPECTRA}
      controls={picker}
      wide
    >
      <ChartTools name="spectrum" log={log} onLog={setLog} onCsv={onCsv} />
      {all ? (
        <div className="small-multiples">
          {charts.map((chart) => (
            <SeriesChart
              key={chart.name}
              heading={chart.name}
              rows={chart.rows}
              series={series}
              x={INDEX_X}
              log={log}
              hidden={hidden}
              onToggle={toggle}
              showLegend={false}
              height={SMALL_CHART_HEIGHT}
            />
          ))}
        </div>
      ) : (
        <div className="spectrum-single">
          {charts.map((chart) => (
            <SeriesChart
              key={chart.name}
              rows={chart.rows}
              series={series}
              x={INDEX_X}
              log={log}
              hidden={hidden}
              onToggle={toggle}
              showLegend={false}
            />
          ))}
          {heatmap && <SpectrumHeatmap heatmap={heatmap} layerName={layerNames[layer]} />}
        </div>
      )}
      <SeriesLegend series={series} hidden={hidden} onToggle={toggle} />
      {all && <p className="hint">Pick one layer for the heat map of its whole history.</p>}
    </ChartPanel>
  );
}
