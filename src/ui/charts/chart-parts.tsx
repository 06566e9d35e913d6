// The pieces around a chart's plot: the log and CSV tools above it, the legend whose entries hide and
// show series, and the marker symbols the legend and the plot share (ChartPlot.tsx draws the plot).
import { useCallback, useState } from 'react';
import type { SeriesSpec } from '../observatory/observatory-rows';
import { MARKER_EDGE_COLOR, OFF_COLOR } from './chart-style';

/** A set of keys with a toggle, for the legends. */
export function useToggleSet(): [ReadonlySet<string>, (key: string) => void] {
  const [set, setSet] = useState<ReadonlySet<string>>(() => new Set());
  const toggle = useCallback((key: string) => {
    setSet((before) => {
      const next = new Set(before);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);
  return [set, toggle];
}

/** Log toggle and CSV button, above a chart (or a group of small multiples). */
export function ChartTools({
  name,
  log,
  onLog,
  onCsv,
}: {
  name: string;
  log?: boolean;
  onLog?: (on: boolean) => void;
  onCsv?: () => void;
}) {
  return (
    <div className="chart-tools">
      {onLog && (
        <label className="chart-log" title="Logarithmic y axis; values ≤ 0 are not drawn">
          <input
            type="checkbox"
            checked={log ?? false}
            onChange={(event) => onLog(event.target.checked)}
            data-testid={`log-${name}`}
          />
          log scale
        </label>
      )}
      {onCsv && (
        <button
          type="button"
          className="chart-csv"
          onClick={onCsv}
          data-testid={`csv-${name}`}
          title={`Download the chart's raw rows as chart-${name}.csv`}
        >
          CSV
        </button>
      )}
    </div>
  );
}

/** Legend entries as buttons: a click hides or shows the series; hidden ones are greyed. */
export function SeriesLegend({
  series,
  hidden,
  onToggle,
}: {
  series: readonly SeriesSpec[];
  hidden: ReadonlySet<string>;
  onToggle: (key: string) => void;
}) {
  return (
    <ul className="series-legend">
      {series.map((s) => {
        const off = hidden.has(s.key);
        return (
          <li key={s.key}>
            <button
              type="button"
              className={off ? 'legend-item legend-hidden' : 'legend-item'}
              aria-pressed={!off}
              data-testid="legend-item"
              data-key={s.key}
              title={off ? `Show ${s.name}` : `Hide ${s.name}`}
              onClick={() => onToggle(s.key)}
            >
              <svg width="16" height="10" aria-hidden="true">
                {s.kind === 'marker' ? (
                  <MarkerSymbol shape={s.marker ?? 'diamond'} cx={8} cy={5} color={off ? OFF_COLOR : s.color} />
                ) : (
                  <line
                    x1="1"
                    x2="15"
                    y1="5"
                    y2="5"
                    stroke={off ? OFF_COLOR : s.color}
                    strokeWidth={s.width ?? 2}
                    strokeDasharray={s.dashed ? '3 2' : undefined}
                  />
                )}
              </svg>
              {s.name}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

/** A marker: a legend swatch, or a point of a marker series (a wide dash over categories). */
export function MarkerSymbol({
  shape,
  cx,
  cy,
  color,
  wide = false,
}: {
  shape: NonNullable<SeriesSpec['marker']>;
  cx: number;
  cy: number;
  color: string;
  wide?: boolean;
}) {
  switch (shape) {
    case 'circle':
      return <circle cx={cx} cy={cy} r={3.5} fill={color} stroke={MARKER_EDGE_COLOR} strokeWidth={0.75} />;
    case 'dash':
      return wide ? (
        <rect x={cx - 14} y={cy - 1.25} width={28} height={2.5} fill={color} />
      ) : (
        <rect x={cx - 7} y={cy - 1.25} width={14} height={2.5} fill={color} />
      );
    case 'diamond':
      return (
        <path
          d={`M${cx},${cy - 4.5}L${cx + 4},${cy}L${cx},${cy + 4.5}L${cx - 4},${cy}Z`}
          fill={color}
          stroke={MARKER_EDGE_COLOR}
          strokeWidth={0.75}
        />
      );
  }
}
