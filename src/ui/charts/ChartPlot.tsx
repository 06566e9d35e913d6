// The plot of a SeriesChart, drawn as plain SVG in one render: grid, axes, one path per line series
// (its raw line faint behind a smoothed one), markers, guides, the vertical marks of the time charts,
// and a hover cursor with a tooltip. No chart library: a read-back redraws every chart of the page,
// and a library's layout passes held the page's thread for 100-300 ms (docs/performance.md).
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { SeriesSpec } from '../observatory/observatory-rows';
import { formatCount, formatTick, logTicks } from '../observatory/observatory-rows';
import type { ChartMark } from './chart-marks';
import { MarkerSymbol } from './chart-parts';
import {
  categoryCentres,
  extent,
  linearScale,
  linearTicks,
  logScale,
  nearestIndex,
  niceDomain,
  seriesPath,
  type Scale,
} from './chart-scale';
import { GUIDE_COLOR, GUIDE_TEXT_COLOR } from './chart-style';

type Row = Record<string, number | string | null>;

/** A series as the plot draws it: `drawKey` holds the drawn values, `rawKey` a faint line behind. */
export interface PlotSeries extends SeriesSpec {
  drawKey: string;
  rawKey?: string;
}

export interface PlotProps {
  rows: readonly Row[];
  xKey: string;
  categorical: boolean;
  /** Visible series only. */
  series: readonly PlotSeries[];
  /** A log axis over this domain; linear (nice 'auto' domain) when null. */
  logDomain: [number, number] | null;
  guides: readonly { y: number; label: string }[];
  marks: readonly ChartMark[];
  height: number;
  connectNulls: boolean;
  /** Dots on every point (a line of one or two points is hard to see otherwise). */
  dots: boolean;
  /** The tooltip's content for the hovered row. */
  tooltip: (rowIndex: number) => ReactNode;
  /** The plot's accessible name (what is drawn over what). */
  label: string;
}

const MARGIN = { top: 8, right: 16, bottom: 4 };
const Y_AXIS_WIDTH = 52;
const X_AXIS_HEIGHT = 30;
const CATEGORY_AXIS_HEIGHT = 52;
const CATEGORY_PADDING = 24;
const TICK_SIZE = 5;

/**
 * The element's content width, followed as it resizes; 0 while hidden (a hidden tab draws nothing).
 * Read from the ResizeObserver only: reading clientWidth in the commit would force a layout per chart.
 */
function useWidth(ref: React.RefObject<HTMLDivElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry.contentRect.width)));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/** Layout and scales of the plot for the rows and the width. */
function usePlotGeometry(props: PlotProps, width: number) {
  const { rows, xKey, categorical, series, logDomain, guides, marks, height } = props;
  return useMemo(() => {
    const left = Y_AXIS_WIDTH;
    const right = Math.max(left + 1, width - MARGIN.right);
    const top = MARGIN.top;
    const bottom = Math.max(top + 1, height - MARGIN.bottom - (categorical ? CATEGORY_AXIS_HEIGHT : X_AXIS_HEIGHT));

    let xs: number[];
    let xTicks: { at: number; label: string }[];
    let x: Scale = () => NaN;
    if (categorical) {
      const categories = [...new Set(rows.map((row) => String(row[xKey])))];
      const centres = categoryCentres(categories.length, [left, right], CATEGORY_PADDING);
      const at = new Map(categories.map((c, i) => [c, centres[i]]));
      xs = rows.map((row) => at.get(String(row[xKey])) ?? NaN);
      xTicks = categories.map((c, i) => ({ at: centres[i], label: c }));
    } else {
      const found = extent([...rows.map((row) => row[xKey]), ...marks.map((m) => m.x)]) ?? [0, 1];
      x = linearScale(found, [left, right]);
      xs = rows.map((row) => (typeof row[xKey] === 'number' ? x(row[xKey] as number) : NaN));
      xTicks = linearTicks(found[0], found[1], 5, true).map((t) => ({ at: x(t), label: formatCount(t) }));
    }

    let y: Scale;
    let yTicks: number[];
    if (logDomain) {
      y = logScale(logDomain, [bottom, top]);
      yTicks = logTicks(logDomain);
    } else {
      const values: unknown[] = guides.map((g) => g.y);
      for (const s of series)
        for (const row of rows) values.push(row[s.drawKey], s.rawKey === undefined ? null : row[s.rawKey]);
      const found = extent(values) ?? [0, 1];
      const domain = niceDomain(found[0], found[1]);
      y = linearScale(domain, [bottom, top]);
      yTicks = linearTicks(domain[0], domain[1]);
    }
    return { left, right, top, bottom, xs, x, xTicks, y, yTicks };
  }, [rows, xKey, categorical, series, logDomain, guides, marks, height, width]);
}

type Geometry = ReturnType<typeof usePlotGeometry>;

function Axes({ g, categorical }: { g: Geometry; categorical: boolean }) {
  return (
    <g className="chart-axes">
      {g.yTicks.map((t) => (
        <line key={`gy${t}`} className="chart-grid" x1={g.left} x2={g.right} y1={g.y(t)} y2={g.y(t)} />
      ))}
      {g.xTicks.map((t) => (
        <line key={`gx${t.label}`} className="chart-grid" x1={t.at} x2={t.at} y1={g.top} y2={g.bottom} />
      ))}
      <path className="chart-axis" d={`M${g.left},${g.top}V${g.bottom}H${g.right}`} fill="none" />
      {g.yTicks.map((t) => (
        <g key={`ty${t}`} transform={`translate(${g.left},${g.y(t)})`}>
          <line className="chart-axis" x1={-TICK_SIZE} x2={0} />
          <text className="chart-tick chart-tick-y" x={-TICK_SIZE - 3} dy="0.35em" textAnchor="end">
            {formatTick(t)}
          </text>
        </g>
      ))}
      {g.xTicks.map((t) => (
        <g key={`tx${t.label}`} transform={`translate(${t.at},${g.bottom})`}>
          <line className="chart-axis" y1={0} y2={TICK_SIZE} />
          {categorical ? (
            // One tick per category (layer names), slanted so long names fit.
            <text
              className="chart-tick chart-tick-x"
              y={TICK_SIZE + 4}
              dy="0.7em"
              textAnchor="end"
              transform="rotate(-25)"
            >
              {t.label}
            </text>
          ) : (
            <text className="chart-tick chart-tick-x" y={TICK_SIZE + 4} dy="0.7em" textAnchor="middle">
              {t.label}
            </text>
          )}
        </g>
      ))}
    </g>
  );
}

interface DrawnSeries {
  s: PlotSeries;
  /** A marker series' points. */
  points?: [number, number][];
  line?: ReturnType<typeof seriesPath>;
  raw?: ReturnType<typeof seriesPath>;
}

function Lines({ g, props }: { g: Geometry; props: PlotProps }) {
  const { rows, series, connectNulls, dots, categorical } = props;
  const drawn = useMemo(
    () =>
      series.map((s): DrawnSeries => {
        const column = (key: string) => rows.map((row) => row[key]);
        if (s.kind === 'marker') {
          const points: [number, number][] = [];
          rows.forEach((row, i) => {
            const value = row[s.drawKey];
            const py = typeof value === 'number' ? g.y(value) : NaN;
            if (Number.isFinite(py) && Number.isFinite(g.xs[i])) points.push([g.xs[i], py]);
          });
          return { s, points };
        }
        const line = seriesPath(g.xs, column(s.drawKey), g.y, connectNulls);
        const raw = s.rawKey === undefined ? undefined : seriesPath(g.xs, column(s.rawKey), g.y, connectNulls);
        return { s, line, raw };
      }),
    [rows, series, connectNulls, g],
  );
  return (
    <g className="chart-series">
      {drawn.map(({ s, raw }) =>
        raw ? <path key={`${s.key}-raw`} className="chart-line-raw" d={raw.d} stroke={s.color} fill="none" /> : null,
      )}
      {drawn.map(({ s, line, points }) => {
        if (points)
          return (
            <g key={s.key} className="chart-markers">
              {points.map(([cx, cy], i) => (
                <g key={i} className="chart-marker">
                  <MarkerSymbol shape={s.marker ?? 'diamond'} cx={cx} cy={cy} color={s.color} wide={categorical} />
                </g>
              ))}
            </g>
          );
        const pointsOf = dots ? line!.vertices : line!.isolated;
        return (
          <g key={s.key}>
            <path
              className="chart-line"
              data-key={s.key}
              d={line!.d}
              stroke={s.color}
              strokeWidth={s.width ?? 1.5}
              strokeDasharray={s.dashed ? '5 3' : undefined}
              fill="none"
            />
            {pointsOf.map(([cx, cy], i) => (
              <circle key={i} className="chart-dot" cx={cx} cy={cy} r={dots ? 3 : 2} fill={s.color} />
            ))}
          </g>
        );
      })}
    </g>
  );
}

function Marks({ g, marks, guides }: { g: Geometry; marks: PlotProps['marks']; guides: PlotProps['guides'] }) {
  return (
    <g className="chart-marks">
      {guides.map((guide) => {
        const y = g.y(guide.y);
        if (!Number.isFinite(y)) return null;
        return (
          <g key={`guide-${guide.y}`} className="chart-guide">
            <line x1={g.left} x2={g.right} y1={y} y2={y} stroke={GUIDE_COLOR} strokeDasharray="6 3" />
            <text x={g.left + 4} y={y + 4} dy="0.7em" fontSize={10} fill={GUIDE_TEXT_COLOR}>
              {guide.label}
            </text>
          </g>
        );
      })}
      {marks.map((mark) => {
        const x = g.x(mark.x);
        if (!Number.isFinite(x)) return null;
        const data = Object.fromEntries(Object.entries(mark.data).map(([k, v]) => [`data-${k}`, v]));
        const atTop = mark.labelAt === 'top-left';
        const toLeft = mark.labelAt === 'bottom-right';
        return [
          <line
            key={mark.key}
            className={mark.kind}
            data-testid={mark.kind}
            {...data}
            x1={x}
            x2={x}
            y1={g.top}
            y2={g.bottom}
            stroke={mark.color}
            strokeDasharray={mark.dash}
          />,
          mark.label && (
            <text
              key={`${mark.key}-label`}
              x={toLeft ? x - 4 : x + 4}
              y={atTop ? g.top + 4 : g.bottom - 4}
              dy={atTop ? '0.7em' : undefined}
              textAnchor={toLeft ? 'end' : 'start'}
              fontSize={10}
              fill={mark.color}
            >
              {mark.label}
            </text>
          ),
        ];
      })}
    </g>
  );
}

/** The drawing at a known width: geometry, series, marks, and the hovered row's cursor and tooltip. */
function PlotSurface({ props, width }: { props: PlotProps; width: number }) {
  const { height, categorical, marks, guides, tooltip } = props;
  const g = usePlotGeometry(props, width);
  const [hovered, setHovered] = useState<number | null>(null);
  const index = hovered !== null && hovered < props.rows.length ? hovered : null;
  const cursor = index === null ? NaN : g.xs[index];

  const onMove = (event: React.MouseEvent<SVGSVGElement>) => {
    const at = event.clientX - event.currentTarget.getBoundingClientRect().left;
    setHovered(at >= g.left && at <= g.right ? nearestIndex(g.xs, at) : null);
  };
  return (
    <>
      <svg
        className="chart-surface"
        width={width}
        height={height}
        role="img"
        aria-label={props.label}
        onMouseMove={onMove}
        onMouseLeave={() => setHovered(null)}
      >
        <Axes g={g} categorical={categorical} />
        <Lines g={g} props={props} />
        <Marks g={g} marks={marks} guides={guides} />
        {Number.isFinite(cursor) && <line className="chart-cursor" x1={cursor} x2={cursor} y1={g.top} y2={g.bottom} />}
      </svg>
      {index !== null && Number.isFinite(cursor) && (
        <div
          className="chart-tooltip-floating"
          style={cursor > width / 2 ? { right: width - cursor + 12 } : { left: cursor + 12 }}
        >
          {tooltip(index)}
        </div>
      )}
    </>
  );
}

export function ChartPlot(props: PlotProps) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  // A chart without width (on a hidden tab) computes nothing: a read-back redraws only what is seen.
  return (
    <div className="chart-plot" ref={box} style={{ height: props.height }}>
      {width > 0 && <PlotSurface props={props} width={width} />}
    </div>
  );
}
