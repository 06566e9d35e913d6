// A chart over G iterations with the normalization switches and the collapse alarms marked: the
// frame every time chart shares, so each one shows them the same way (smoothing, log toggle,
// tooltip, legend and CSV come from SeriesChart).
import type { CollapseAlarm } from '../../core/metrics/types';
import type { NormSwitch } from '../../core/train/types';
import { alarmMarks } from './AlarmMarks';
import { SeriesChart, type SeriesChartProps } from './SeriesChart';
import { switchMarks } from './SwitchMarks';

export type { SeriesSpec } from '../observatory/observatory-rows';

const NO_ALARMS: readonly CollapseAlarm[] = [];

interface Props extends Omit<SeriesChartProps, 'x' | 'children'> {
  switches: readonly NormSwitch[];
  alarms?: readonly CollapseAlarm[];
}

export function TimeChart({ switches, alarms = NO_ALARMS, ...chart }: Props) {
  return (
    <SeriesChart {...chart}>
      {switchMarks(switches)}
      {alarmMarks(alarms)}
    </SeriesChart>
  );
}
