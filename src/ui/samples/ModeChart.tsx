// 2-D data: how many of the mixture's modes the generator covers at each read-back, the share of
// its points near a mode, and how unevenly those are spread (KL from uniform), with the
// normalization switches and collapse alarms marked.
import { useMemo } from 'react';
import type { CollapseAlarm } from '../../core/metrics/types';
import type { NormSwitch } from '../../core/train/types';
import { ChartPanel } from '../charts/ChartPanel';
import { D_COLOR, G_COLOR, SMALL_CHART_HEIGHT } from '../charts/chart-style';
import type { SeriesSpec } from '../observatory/observatory-rows';
import { TimeChart } from '../charts/TimeChart';
import type { CoveragePoint } from '../../core/metrics/mode-coverage';
import { coverageRows, HQ_SHARE_KEY, KL_KEY, latestModeCount, MODES_KEY } from './toy-rows';

interface Props {
  history: readonly CoveragePoint[];
  switches: readonly NormSwitch[];
  alarms?: readonly CollapseAlarm[];
}

const MODE_SERIES: readonly SeriesSpec[] = [{ key: MODES_KEY, name: 'modes captured', color: G_COLOR, width: 2 }];
const QUALITY_SERIES: readonly SeriesSpec[] = [
  { key: HQ_SHARE_KEY, name: 'high-quality share', color: G_COLOR },
  { key: KL_KEY, name: 'KL from uniform (nats)', color: D_COLOR },
];

export function ModeChart({ history, switches, alarms }: Props) {
  const rows = useMemo(() => coverageRows(history), [history]);
  const modeCount = latestModeCount(history);
  const guides = useMemo(() => (modeCount ? [{ y: modeCount, label: `M = ${modeCount}` }] : []), [modeCount]);
  return (
    <ChartPanel
      title={`Modes captured${modeCount ? ` (of ${modeCount})` : ''}`}
      caption={
        '2500 generated points for fixed latent vectors at each read-back; a point is high quality ' +
        'within 3 std of its nearest mode, a mode is captured with ≥ 1 high-quality point; KL of ' +
        "the high-quality points' mode histogram from uniform (0 = balanced, log M = one mode)."
      }
      testId="chart-modes"
      points={history.length}
    >
      <TimeChart
        rows={rows}
        series={MODE_SERIES}
        switches={switches}
        alarms={alarms}
        csvName="modes"
        guides={guides}
        height={SMALL_CHART_HEIGHT}
      />
      <TimeChart
        rows={rows}
        series={QUALITY_SERIES}
        switches={switches}
        alarms={alarms}
        csvName="mode-quality"
        height={SMALL_CHART_HEIGHT}
      />
    </ChartPanel>
  );
}
