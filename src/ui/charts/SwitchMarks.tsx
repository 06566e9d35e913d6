// The D normalization switches as labelled vertical lines ("→ bssn") at the G iteration each took
// effect, for every chart whose x axis is the iteration. A function returning ReferenceLine
// elements (not a component), so recharts sees them as direct chart children.
import { ReferenceLine } from 'recharts';
import type { NormSwitch } from '../../core/train/types';
import { SWITCH_COLOR } from './chart-style';

export function switchLabel(change: NormSwitch): string {
  return `→ ${change.to}`;
}

export function switchMarks(switches: readonly NormSwitch[]) {
  return switches.map((change, i) => (
    <ReferenceLine
      key={`${i}-${change.iteration}-${change.to}`}
      x={change.iteration}
      className="switch-mark"
      data-testid="switch-mark"
      data-iteration={change.iteration}
      data-to={change.to}
      stroke={SWITCH_COLOR}
      strokeDasharray="4 3"
      // extendDomain: a switch made after the last read-back still shows, at the chart's right edge.
      ifOverflow="extendDomain"
      // Alternate top/bottom so labels of switches close together do not cover each other.
      label={{
        value: switchLabel(change),
        position: i % 2 === 0 ? 'insideTopLeft' : 'insideBottomLeft',
        fontSize: 10,
        fill: SWITCH_COLOR,
      }}
    />
  ));
}
