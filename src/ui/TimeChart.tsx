// A line chart over G iterations with the normalization switches marked: the frame every time
// chart shares, so each one shows the switches the same way.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { NormSwitch } from '../core/train/types';
import { AXIS_TICK, CHART_HEIGHT } from './chart-style';
import { switchMarks } from './SwitchMarks';

export interface TimeLine {
  dataKey: string;
  name?: string;
  color: string;
}

interface Props {
  /** One object per read-back with an `iteration` and a value per line's dataKey. */
  rows: readonly object[];
  lines: readonly TimeLine[];
  switches: readonly NormSwitch[];
}

export function TimeChart({ rows, lines, switches }: Props) {
  return (
    <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
      <LineChart data={[...rows]} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e5e5e5" />
        <XAxis dataKey="iteration" type="number" domain={['dataMin', 'dataMax']} tick={AXIS_TICK} allowDecimals={false} />
        <YAxis tick={AXIS_TICK} width={48} domain={['auto', 'auto']} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {lines.map((line) => (
          <Line
            key={line.dataKey}
            type="linear"
            dataKey={line.dataKey}
            name={line.name ?? line.dataKey}
            stroke={line.color}
            dot={rows.length < 3}
            isAnimationActive={false}
          />
        ))}
        {switchMarks(switches)}
      </LineChart>
    </ResponsiveContainer>
  );
}
