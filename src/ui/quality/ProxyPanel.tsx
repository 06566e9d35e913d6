// Sample quality of generated images, measured with a small proxy classifier: what the proxy worker
// is doing, how good the proxy is, the real-data references, and IS / FID / KID proxies and class
// coverage over iterations with the normalization switches and collapse alarms marked.
// The status lines sit in the caption (always shown); ChartPanel hides its children without points.
import { useMemo, useRef } from 'react';
import type { CollapseAlarm } from '../../core/metrics/types';
import { PROXY_CAVEAT } from '../../core/proxy/sample-quality';
import type { NormSwitch } from '../../core/train/types';
import { ChartPanel } from '../charts/ChartPanel';
import { G_COLOR, SMALL_CHART_HEIGHT } from '../charts/chart-style';
import type { SeriesSpec } from '../observatory/observatory-rows';
import type { ProxyEvaluationPoint, ProxyState } from './proxy-state';
import {
  accuracyText,
  classCoverageText,
  CLASSES_KEY,
  CONDITIONAL_ENTROPY_KEY,
  costText,
  FID_KEY,
  IS_KEY,
  KID_HIGH_KEY,
  KID_KEY,
  KID_LOW_KEY,
  MARGINAL_ENTROPY_KEY,
  proxyGuides,
  proxyRows,
  proxyStatusText,
  referenceText,
} from './proxy-rows';
import { TimeChart } from '../charts/TimeChart';

interface Props {
  state: ProxyState;
  /** The evaluations of the current run only (already filtered by the caller). */
  evaluations: readonly ProxyEvaluationPoint[];
  /** Evaluation period K (0 = off). */
  proxyEvery: number;
  /** N as configured. */
  requestedN: number;
  /** Proxy recipe name as configured. */
  recipe: string;
  /** The run's data are 2-D points: proxies do not apply. */
  pointData: boolean;
  switches: readonly NormSwitch[];
  alarms?: readonly CollapseAlarm[];
  onTrain(): void;
  onExport(): void;
  onImport(file: File): void;
}

const TITLE = 'Sample quality (proxies)';
const NOT_APPLICABLE =
  'Sample-quality proxies are for image data; 2-D data use the exact mode count (Modes captured panel).';
const ENTROPY_COLOR = '#7570b3';
const CONFIDENCE_COLOR = '#e7298a';

const IS_SERIES: readonly SeriesSpec[] = [
  { key: IS_KEY, name: 'IS proxy', color: G_COLOR, width: 2 },
  { key: MARGINAL_ENTROPY_KEY, name: 'H(p(y)) (nats)', color: ENTROPY_COLOR, width: 1, dashed: true },
  { key: CONDITIONAL_ENTROPY_KEY, name: 'E H(p(y|x)) (nats)', color: CONFIDENCE_COLOR, width: 1, dashed: true },
];
const FID_SERIES: readonly SeriesSpec[] = [{ key: FID_KEY, name: 'FID proxy', color: G_COLOR, width: 2 }];
const KID_SERIES: readonly SeriesSpec[] = [
  { key: KID_KEY, name: 'KID proxy (mean)', color: G_COLOR, width: 2 },
  { key: KID_HIGH_KEY, name: 'mean + std', color: G_COLOR, width: 1, dashed: true },
  { key: KID_LOW_KEY, name: 'mean − std', color: G_COLOR, width: 1, dashed: true },
];
const CLASS_SERIES: readonly SeriesSpec[] = [
  { key: CLASSES_KEY, name: 'classes covered (argmax)', color: G_COLOR, width: 2 },
];

export function ProxyPanel(props: Props) {
  if (props.pointData) {
    // The same line whether or not stray evaluations exist: nothing here applies to points.
    const line = <span data-testid="proxy-not-applicable">{NOT_APPLICABLE}</span>;
    return (
      <ChartPanel title={TITLE} caption={null} testId="chart-proxies" points={props.evaluations.length} empty={line}>
        <div className="chart-empty">{line}</div>
      </ChartPanel>
    );
  }
  return <ImageProxyPanel {...props} />;
}

function ImageProxyPanel({
  state,
  evaluations,
  proxyEvery,
  requestedN,
  recipe,
  switches,
  alarms,
  onTrain,
  onExport,
  onImport,
}: Props) {
  const rows = useMemo(() => proxyRows(evaluations), [evaluations]);
  const guides = useMemo(() => proxyGuides(state.reference), [state.reference]);
  const latest = evaluations.length ? evaluations[evaluations.length - 1] : null;
  const { proxy, reference, progress } = state;

  const caption = (
    <>
      <span className="proxy-line" data-testid="proxy-status">
        Proxy net{state.phase === 'untrained' ? ` (${recipe} recipe)` : ''}: {proxyStatusText(state, proxyEvery)}
        {state.phase === 'training' && progress && (
          <progress
            className="proxy-progress"
            data-testid="proxy-progress"
            value={progress.step}
            max={Math.max(1, progress.steps)}
          />
        )}{' '}
        {state.phase === 'untrained' && (
          <button
            type="button"
            className="proxy-button"
            data-testid="proxy-train"
            title="Train the proxy classifier on the training split now, rather than when the first evaluation is due"
            onClick={onTrain}
          >
            Train proxy net now
          </button>
        )}
      </span>
      {proxy && (
        <span className="proxy-line" data-testid="proxy-accuracy">
          {accuracyText(proxy)}
        </span>
      )}
      {reference && (
        <span className="proxy-line" data-testid="proxy-reference">
          {referenceText(reference, requestedN)}
        </span>
      )}
      <span className="proxy-line proxy-caveat" data-testid="proxy-caveat">
        {PROXY_CAVEAT}
      </span>
    </>
  );

  const empty =
    proxyEvery === 0
      ? 'No evaluations: they are off (proxyevery=0 in the URL).'
      : `No evaluations yet: N generated images are scored every ${proxyEvery} iterations.`;

  return (
    <ChartPanel
      title={TITLE}
      caption={caption}
      captionShown
      testId="chart-proxies"
      points={evaluations.length}
      empty={empty}
      wide
      controls={<ProxyFileButtons canExport={proxy !== null} onExport={onExport} onImport={onImport} />}
    >
      {latest && (
        <p className="hint proxy-line" data-testid="proxy-cost">
          {costText(latest, state.skipped)}
        </p>
      )}
      <div className="small-multiples">
        <TimeChart
          rows={rows}
          series={IS_SERIES}
          switches={switches}
          alarms={alarms}
          csvName="proxy-is"
          guides={guides.is}
          height={SMALL_CHART_HEIGHT}
          heading="IS proxy (higher is better)"
        />
        <TimeChart
          rows={rows}
          series={FID_SERIES}
          switches={switches}
          alarms={alarms}
          csvName="proxy-fid"
          guides={guides.fid}
          height={SMALL_CHART_HEIGHT}
          heading="FID proxy (lower is better)"
        />
        <TimeChart
          rows={rows}
          series={KID_SERIES}
          switches={switches}
          alarms={alarms}
          csvName="proxy-kid"
          guides={guides.kid}
          height={SMALL_CHART_HEIGHT}
          heading="KID proxy (lower is better)"
        />
        <TimeChart
          rows={rows}
          series={CLASS_SERIES}
          switches={switches}
          alarms={alarms}
          csvName="proxy-classes"
          guides={guides.classes}
          height={SMALL_CHART_HEIGHT}
          heading="Classes covered"
        />
      </div>
      {latest && (
        <p className="hint proxy-line" data-testid="proxy-class-coverage">
          {classCoverageText(latest, proxy?.classNames ?? [])}
        </p>
      )}
    </ChartPanel>
  );
}

/** Export the ready proxy; import one from a file (the worker checks it belongs to this data). */
function ProxyFileButtons({
  canExport,
  onExport,
  onImport,
}: {
  canExport: boolean;
  onExport(): void;
  onImport(file: File): void;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="proxy-file-buttons">
      <button
        type="button"
        className="proxy-button"
        data-testid="proxy-export"
        disabled={!canExport}
        onClick={onExport}
        title="Save the proxy net to a .sgproxy file"
      >
        Export proxy net
      </button>
      <button
        type="button"
        className="proxy-button"
        data-testid="proxy-import"
        onClick={() => input.current?.click()}
        title="Load a proxy net saved with Export (same data and recipe)"
      >
        Import proxy net
      </button>
      <input
        ref={input}
        type="file"
        hidden
        data-testid="proxy-import-input"
        accept=".sgproxy,application/octet-stream"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = ''; // choosing the same file again should import it again
          if (file) onImport(file);
        }}
      />
    </div>
  );
}
