// The frame every chart of the page shares: lines (and marker series) over a numeric or categorical
// x, with the same conventions everywhere:
// - EMA smoothing (page-wide setting) of the series marked `smooth`: the smoothed line drawn solid,
//   the raw one faint behind it (an unfilled Area, so `path.recharts-line-curve` stays one per series);
// - a log-scale toggle (non-positive values become gaps there);
// - a tooltip with exact values (6 significant digits; raw beside smoothed);
// - a legend whose entries hide and show their series;
// - a CSV button that downloads the chart's raw rows.
// TimeChart adds the iteration axis with switch and collapse marks.
import { useMemo, useState, type ReactNode } from 'react';
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { AXIS_TICK, CHART_HEIGHT, GRID_COLOR, GUIDE_COLOR, GUIDE_TEXT_COLOR } from './chart-style';
import { ChartTools, markerShape, SeriesLegend, useToggleSet } from './chart-parts';
import { useSmoothing } from './ChartSettings';
import { downloadCsv } from './download-csv';
import {
  csvTable,
  formatCount,
  formatTick,
  formatValue,
  logDomain,
  logSafeRows,
  logTicks,
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
  /** Extra recharts children, e.g. ReferenceLine marks. */
  children?: ReactNode;
}

interface TooltipEntry {
  key: string;
  name: string;
  color: string;
  smoothed: boolean;
}

function ValuesTooltip({
  active,
  label,
  x,
  rowsByX,
  entries,
}: {
  active?: boolean;
  label?: unknown;
  x: XSpec;
  rowsByX: ReadonlyMap<string, Row>;
  entries: readonly TooltipEntry[];
}) {
  // The row is looked up by the hovered x, not taken from recharts' payload: marker series carry
  // only their own points, and the tooltip shows raw values beside smoothed ones.
  const row = active && label !== undefined && label !== null ? rowsByX.get(String(label)) : undefined;
  if (!row) return null;
  const shown = entries.filter((e) => typeof row[e.key] === 'number');
  return (
    <div className="chart-tooltip">
      <div className="chart-tooltip-x">
        {x.name} {String(row[x.key] ?? label)}
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
  children,
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

  const rowsByX = useMemo(() => new Map(smoothed.map((row) => [String(row[x.key]), row])), [smoothed, x.key]);
  // Over iterations a marker series gets only its drawable points (a Scatter draws a blank symbol
  // for every row of the chart's data); over categories it uses the chart's rows, one per category.
  const markerData = useMemo(() => {
    const data = new Map<string, Row[]>();
    if (x.categorical) return data;
    for (const s of series)
      if (s.kind === 'marker')
        data.set(
          s.key,
          drawn.filter((row) => typeof row[s.key] === 'number'),
        );
    return data;
  }, [series, drawn, x.categorical]);

  const shapes = useMemo(
    () =>
      new Map(
        series
          .filter((s) => s.kind === 'marker')
          .map((s) => [s.key, markerShape(s.marker ?? 'diamond', s.color, x.categorical ?? false)]),
      ),
    [series, x.categorical],
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

  const yAxis = log ? (
    <YAxis
      scale="log"
      domain={domain ?? [0.1, 1]}
      ticks={logTicks(domain ?? [0.1, 1])}
      allowDataOverflow
      tick={AXIS_TICK}
      tickFormatter={formatTick}
      width={52}
    />
  ) : (
    <YAxis tick={AXIS_TICK} width={52} domain={['auto', 'auto']} tickFormatter={formatTick} />
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
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={drawn as Row[]} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke={GRID_COLOR} />
          {x.categorical ? (
            // One tick per category (layer names), slanted so long names fit.
            <XAxis
              dataKey={x.key}
              type="category"
              allowDuplicatedCategory={false}
              padding={{ left: 24, right: 24 }}
              tick={AXIS_TICK}
              interval={0}
              angle={-25}
              textAnchor="end"
              height={52}
            />
          ) : (
            <XAxis
              dataKey={x.key}
              type="number"
              domain={['dataMin', 'dataMax']}
              tick={AXIS_TICK}
              allowDecimals={false}
              tickFormatter={formatCount}
            />
          )}
          {yAxis}
          <Tooltip
            content={(props) => (
              <ValuesTooltip active={props.active} label={props.label} x={x} rowsByX={rowsByX} entries={entries} />
            )}
            // recharts shows the tooltip only when some item has a payload entry at the hovered x;
            // the hidden carrier line below has one at every row, even where all values are null.
            filterNull={false}
            includeHidden
            isAnimationActive={false}
          />
          <Line dataKey={x.key} hide legendType="none" isAnimationActive={false} />
          {series.map((s) => {
            const off = hidden.has(s.key);
            if (s.kind === 'marker') {
              return (
                <Scatter
                  key={s.key}
                  data={markerData.get(s.key)}
                  dataKey={s.key}
                  name={s.name}
                  fill={s.color}
                  hide={off}
                  shape={shapes.get(s.key)}
                  isAnimationActive={false}
                  legendType="none"
                />
              );
            }
            const isSmoothed = smoothedSet.has(s.key);
            return [
              isSmoothed && (
                <Area
                  key={`${s.key}-raw`}
                  type="linear"
                  dataKey={s.key}
                  name={`${s.name} (raw)`}
                  stroke={s.color}
                  strokeOpacity={0.28}
                  strokeWidth={1}
                  fill="none"
                  fillOpacity={0}
                  baseValue="dataMin"
                  hide={off}
                  dot={false}
                  activeDot={false}
                  connectNulls={connectNulls}
                  isAnimationActive={false}
                  legendType="none"
                />
              ),
              <Line
                key={s.key}
                type="linear"
                dataKey={isSmoothed ? smoothedKey(s.key) : s.key}
                name={s.name}
                stroke={s.color}
                strokeWidth={s.width ?? 1.5}
                strokeDasharray={s.dashed ? '5 3' : undefined}
                hide={off}
                dot={fewPoints}
                connectNulls={connectNulls}
                isAnimationActive={false}
                legendType="none"
              />,
            ];
          })}
          {guides.map((guide) => (
            <ReferenceLine
              key={`guide-${guide.y}`}
              y={guide.y}
              stroke={GUIDE_COLOR}
              strokeDasharray="6 3"
              ifOverflow="extendDomain"
              label={{ value: guide.label, position: 'insideTopLeft', fontSize: 10, fill: GUIDE_TEXT_COLOR }}
            />
          ))}
          {children}
        </ComposedChart>
      </ResponsiveContainer>
      {showLegend && <SeriesLegend series={series} hidden={hidden} onToggle={toggle} />}
    </div>
  );
}
