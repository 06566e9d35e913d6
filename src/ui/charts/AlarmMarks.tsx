// Collapse alarms as red dashed vertical lines at the iteration of the snapshot that raised them,
// on every chart whose x axis is the iteration. Like switchMarks, a function returning ReferenceLine
// elements (not a component), so they can sit as direct chart children.
import { ReferenceLine } from 'recharts';
import type { CollapseAlarm } from '../../core/metrics/types';
import { ALARM_COLOR } from './chart-style';

/** "⚠ conv2, conv3": the layers that alarmed at each iteration, one label per iteration. */
function labelsByIteration(alarms: readonly CollapseAlarm[]): Map<number, string> {
  const layers = new Map<number, string[]>();
  for (const alarm of alarms) layers.set(alarm.iteration, [...(layers.get(alarm.iteration) ?? []), alarm.layer]);
  return new Map([...layers].map(([iteration, names]) => [iteration, `⚠ ${[...new Set(names)].join(', ')}`]));
}

export function alarmMarks(alarms: readonly CollapseAlarm[]) {
  const labels = labelsByIteration(alarms);
  const labelled = new Map<number, number>();
  return alarms.map((alarm, i) => {
    // Several layers alarming at one snapshot share one line position: only the first carries the label.
    const first = !labelled.has(alarm.iteration);
    if (first) labelled.set(alarm.iteration, labelled.size);
    // Successive labels alternate left and right of their line, so neighbours do not run together.
    const position = (labelled.get(alarm.iteration) ?? 0) % 2 === 0 ? 'insideBottomRight' : 'insideBottomLeft';
    return (
      <ReferenceLine
        key={`alarm-${i}-${alarm.iteration}-${alarm.layerIndex}`}
        x={alarm.iteration}
        className="alarm-mark"
        data-testid="alarm-mark"
        data-iteration={alarm.iteration}
        data-layer={alarm.layer}
        stroke={ALARM_COLOR}
        strokeDasharray="2 3"
        // A late alarm (after the last read-back) still shows at the right edge.
        ifOverflow="extendDomain"
        // At the bottom, where the switch labels (top left first) are less often.
        label={first ? { value: labels.get(alarm.iteration), position, fontSize: 10, fill: ALARM_COLOR } : undefined}
      />
    );
  });
}
