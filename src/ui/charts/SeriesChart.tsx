// The frame every chart of the page shares: lines (and marker series) over a numeric or categorical
// x, with the same conventions everywhere:
// - EMA smoothing (page-wide setting) of the series marked `smooth`: the smoothed line drawn solid,
//   the raw one faint behind it (`path.chart-raw-line`, so `path.chart-line` stays one per series);
// - a log-scale toggle (non-positive values become gaps there);
// - a tooltip with exact values (6 significant digits; raw beside smoothed);
// - a legend whose entries hide and show their series;
// - a CSV button that downloads the chart's raw rows.
// TimeChart adds the iteration axis with switch and collapse marks. ChartPlot.tsx draws the plot.
import { useCallback, useMemo, useState } from 'react';
import { CHART_HEIGHT } from './chart-style';
import { ChartTools, SeriesLegend, useToggleSet } from './chart-parts';
import { useSmoothing } from './ChartSettings';
import { ChartPlot, type PlotSeries } from './ChartPlot';
import type { ChartMark } from './chart-marks';
import { downloadCsv } from './download-csv';
import {
  csvTable,
  formatValue,
  logDomain,
  logSafeRows,
  smoothedKey,
  withSmoothed,
  type SeriesSpec,
} from '../observatory/observatory-rows';

export type { SeriesSpec } from '../observatory/observatory-rows';
// Importers from before the legend and tools moved to chart-parts.tsx.
export { ChartTools, SeriesLegend, useToggleSet } from './chart-parts';

type Row = Record<string, number | string | null>;

export interface XSpec {
  /** Column of the rows. */
  key: string;
  /** Axis, tooltip and CSV header. */
  name: string;
  /** Layer names and the like rather than numbers. */
  categorical?: boolean;
}

export const ITERATION_X: XSpec = { key: 'iteration', name: 'iteration' };

export interface SeriesChartProps {
  /** One object per x value with a value (or null) per series key. Raw values: never smoothed. */
  rows: readonly object[];
  series: readonly SeriesSpec[];
  x?: XSpec;
  /** The CSV button downloads chart-<csvName>.csv; without a name there is no button. */
  csvName?: string;
  /** Initial state of the log-scale toggle. */
  defaultLog?: boolean;
  /** Log scale set by the caller (e.g. one toggle for small multiples); hides the toggle. */
  log?: boolean;
  /** Hidden series set by the caller; with onToggle. Otherwise the chart keeps its own. */
  hidden?: ReadonlySet<string>;
  onToggle?: (key: string) => void;
  showLegend?: boolean;
  /** Draw lines across null rows (rows merged from series measured at different x). */
  connectNulls?: boolean;
  height?: number;
  /** Horizontal guide lines, e.g. a bound at y = 1. */
  guides?: readonly { y: number; label: string }[];
  /** A heading above the plot (small multiples). */
  heading?: string;
  /** Vertical marks (normalization switches, collapse alarms) over a numeric x. */
  marks?: readonly ChartMark[];
}

interface TooltipEntry {
  key: string;
  name: string;
  color: string;
  smoothed: boolean;
}

/** The hovered row's values: raw beside smoothed, 6 significant digits. */
function ValuesTooltip({ row, x, entries }: { row: Row; x: XSpec; entries: readonly TooltipEntry[] }) {
  const shown = entries.filter((e) => typeof row[e.key] === 'number');
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-x">
        {x.name} {String(row[x.key])}
      </div>
      {shown.length === 0 && <div className="hint">no value here</div>}
      {shown.map((e) => (
        <div key={e.key} className="chart-tooltip-row">
          <span className="chart-tooltip-swatch" style={{ background: e.color }} />
          <span className="chart-tooltip-name">{e.name}</span>
          <span className="chart-tooltip-value">
            {e.smoothed ? (
              <>
                {formatValue(row[smoothedKey(e.key)])} <span className="hint">(raw {formatValue(row[e.key])})</span>
              </>
            ) : (
              formatValue(row[e.key])
            )}
          </span>
        </div>
      ))}
    </div>
  );
}

const NO_GUIDES: readonly { y: number; label: string }[] = [];
const NO_MARKS: readonly ChartMark[] = [];

export function SeriesChart({
  rows,
  series,
  x = ITERATION_X,
  csvName,
  defaultLog = false,
  log: logFromCaller,
  hidden: hiddenFromCaller,
  onToggle: onToggleFromCaller,
  showLegend = true,
  connectNulls = false,
  height = CHART_HEIGHT,
  guides = NO_GUIDES,
  heading,
  marks = NO_MARKS,
}: SeriesChartProps) {
  const smoothing = useSmoothing();
  const [ownLog, setOwnLog] = useState(defaultLog);
  const log = logFromCaller ?? ownLog;
  const [ownHidden, ownToggle] = useToggleSet();
  const hidden = hiddenFromCaller ?? ownHidden;
  const toggle = onToggleFromCaller ?? ownToggle;

  const typedRows = rows as readonly Row[];
  // A string key, so a new but equal series list does not redo the smoothing.
  const smoothKeyList = series
    .filter((s) => s.smooth && s.kind !== 'marker')
    .map((s) => s.key)
    .join('\n');
  const weight = smoothKeyList ? smoothing : 0;
  const smoothed = useMemo(
    () =>
      weight > 0
        ? withSmoothed(typedRows as readonly Record<string, number | null>[], smoothKeyList.split('\n'), weight)
        : typedRows,
    [typedRows, smoothKeyList, weight],
  ) as readonly Row[];
  const smoothedSet = useMemo(() => new Set(weight > 0 ? smoothKeyList.split('\n') : []), [smoothKeyList, weight]);

  const allKeys = series.map((s) => s.key).join('\n');
  const drawn = useMemo(() => {
    if (!log) return smoothed;
    const keys = allKeys.split('\n').flatMap((key) => [key, smoothedKey(key)]);
    return logSafeRows(smoothed as readonly Record<string, number | null>[], keys);
  }, [smoothed, log, allKeys]) as readonly Row[];

  const domain = useMemo((): [number, number] | null => {
    if (!log) return null;
    const keys = series.filter((s) => !hidden.has(s.key)).flatMap((s) => [s.key, smoothedKey(s.key)]);
    const found = logDomain(drawn as readonly Record<string, number | null>[], keys) ?? [0.1, 1];
    let [lo, hi] = found;
    for (const guide of guides) {
      if (!(guide.y > 0)) continue;
      lo = Math.min(lo, 10 ** Math.floor(Math.log10(guide.y)));
      hi = Math.max(hi, 10 ** Math.ceil(Math.log10(guide.y)));
    }
    return hi > lo ? [lo, hi] : [lo, lo * 10];
  }, [log, drawn, series, hidden, guides]);

  const plotSeries = useMemo(
    (): PlotSeries[] =>
      series
        .filter((s) => !hidden.has(s.key))
        .map((s) => {
          const isSmoothed = s.kind !== 'marker' && smoothedSet.has(s.key);
          return { ...s, drawKey: isSmoothed ? smoothedKey(s.key) : s.key, rawKey: isSmoothed ? s.key : undefined };
        }),
    [series, hidden, smoothedSet],
  );

  const entries = useMemo(
    () =>
      series
        .filter((s) => !hidden.has(s.key))
        .map((s) => ({ key: s.key, name: s.name, color: s.color, smoothed: smoothedSet.has(s.key) })),
    [series, hidden, smoothedSet],
  );

  const onCsv = csvName ? () => downloadCsv(`chart-${csvName}.csv`, csvTable(typedRows, x, series)) : undefined;
  const showTools = csvName !== undefined || logFromCaller === undefined;
  const fewPoints = typedRows.length < 3;

  const tooltip = useCallback(
    (index: number) => <ValuesTooltip row={smoothed[index]} x={x} entries={entries} />,
    [smoothed, x, entries],
  );

  return (
    <div className="series-chart">
      {(heading || showTools) && (
        <div className="series-chart-head">
          {heading && <span className="series-chart-heading">{heading}</span>}
          {showTools && (
            <ChartTools
              name={csvName ?? 'chart'}
              log={log}
              onLog={logFromCaller === undefined ? setOwnLog : undefined}
              onCsv={onCsv}
            />
          )}
        </div>
      )}
      <ChartPlot
        rows={drawn}
        xKey={x.key}
        categorical={x.categorical ?? false}
        series={plotSeries}
        logDomain={log ? (domain ?? [0.1, 1]) : null}
        guides={guides}
        marks={x.categorical ? NO_MARKS : marks}
        height={height}
        connectNulls={connectNulls}
        dots={fewPoints}
        tooltip={tooltip}
        label={`${heading ? `${heading}: ` : ''}${series.map((s) => s.name).join(', ')} over ${x.name}`}
      />
      {showLegend && <SeriesLegend series={series} hidden={hidden} onToggle={toggle} />}
    </div>
  );
}
