// The vertical marks of the time charts, as data SeriesChart draws: the D normalization switches
// ("→ bssn" at the G iteration each took effect) and the collapse alarms (red, at the iteration of
// the snapshot that raised them). A mark after the last read-back widens the x axis to show it.
import type { CollapseAlarm } from '../../core/metrics/types';
import type { NormSwitch } from '../../core/train/types';
import { ALARM_COLOR, SWITCH_COLOR } from './chart-style';

export interface ChartMark {
  /** React key. */
  key: string;
  x: number;
  /** Class and test id of the line: 'switch-mark' or 'alarm-mark'. */
  kind: 'switch-mark' | 'alarm-mark';
  color: string;
  dash: string;
  label?: string;
  labelAt: 'top-left' | 'bottom-left' | 'bottom-right';
  /** data-* attributes of the line, read by tests and scripts (data-iteration, data-to, data-layer). */
  data: Record<string, string>;
}

export function switchLabel(change: NormSwitch): string {
  return `→ ${change.to}`;
}

export function switchMarks(switches: readonly NormSwitch[]): ChartMark[] {
  return switches.map((change, i) => ({
    key: `switch-${i}-${change.iteration}-${change.to}`,
    x: change.iteration,
    kind: 'switch-mark',
    color: SWITCH_COLOR,
    dash: '4 3',
    label: switchLabel(change),
    // Alternate top/bottom so labels of switches close together do not cover each other.
    labelAt: i % 2 === 0 ? 'top-left' : 'bottom-left',
    data: { iteration: String(change.iteration), to: change.to },
  }));
}

/** "⚠ conv2, conv3": the layers that alarmed at each iteration, one label per iteration. */
function labelsByIteration(alarms: readonly CollapseAlarm[]): Map<number, string> {
  const layers = new Map<number, string[]>();
  for (const alarm of alarms) layers.set(alarm.iteration, [...(layers.get(alarm.iteration) ?? []), alarm.layer]);
  return new Map([...layers].map(([iteration, names]) => [iteration, `⚠ ${[...new Set(names)].join(', ')}`]));
}

export function alarmMarks(alarms: readonly CollapseAlarm[]): ChartMark[] {
  const labels = labelsByIteration(alarms);
  const labelled = new Map<number, number>();
  return alarms.map((alarm, i) => {
    // Several layers alarming at one snapshot share one line position: only the first carries the label.
    const first = !labelled.has(alarm.iteration);
    if (first) labelled.set(alarm.iteration, labelled.size);
    return {
      key: `alarm-${i}-${alarm.iteration}-${alarm.layerIndex}`,
      x: alarm.iteration,
      kind: 'alarm-mark',
      color: ALARM_COLOR,
      dash: '2 3',
      label: first ? labels.get(alarm.iteration) : undefined,
      // At the bottom, where the switch labels (top left first) are less often; successive labels
      // alternate right and left of their line, so neighbours do not run together.
      labelAt: (labelled.get(alarm.iteration) ?? 0) % 2 === 0 ? 'bottom-right' : 'bottom-left',
      data: { iteration: String(alarm.iteration), layer: alarm.layer },
    };
  });
}
