// A chart over G iterations with the normalization switches and the collapse alarms marked: the
// frame every time chart shares, so each one shows them the same way (smoothing, log toggle,
// tooltip, legend and CSV come from SeriesChart).
import type { CollapseAlarm } from '../../core/metrics/types';
import type { NormSwitch } from '../../core/train/types';
import { useMemo } from 'react';
import { alarmMarks, switchMarks } from './chart-marks';
import { SeriesChart, type SeriesChartProps } from './SeriesChart';

export type { SeriesSpec } from '../observatory/observatory-rows';

const NO_ALARMS: readonly CollapseAlarm[] = [];

interface Props extends Omit<SeriesChartProps, 'x' | 'marks'> {
  switches: readonly NormSwitch[];
  alarms?: readonly CollapseAlarm[];
}

export function TimeChart({ switches, alarms = NO_ALARMS, ...chart }: Props) {
  const marks = useMemo(() => [...switchMarks(switches), ...alarmMarks(alarms)], [switches, alarms]);
  return <SeriesChart {...chart} marks={marks} />;
}
