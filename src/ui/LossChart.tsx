// D and G loss against G iterations.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MetricsPoint } from '../core/train/types';
import { ChartPanel } from './ChartPanel';
import { AXIS_TICK, CHART_HEIGHT, D_COLOR, G_COLOR } from './chart-style';
import { lossRows } from './training-state';

export function LossChart({ history }: { history: readonly MetricsPoint[] }) {
  return (
    <ChartPanel title="Losses" caption="Discriminator and generator loss at each read-back." testId="chart-loss" points={history.length}>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <LineChart data={lossRows(history)} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e5e5" />
          <XAxis dataKey="iteration" type="number" domain={['dataMin', 'dataMax']} tick={AXIS_TICK} allowDecimals={false} />
          <YAxis tick={AXIS_TICK} width={48} domain={['auto', 'auto']} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line type="linear" dataKey="dLoss" name="D loss" stroke={D_COLOR} dot={history.length < 3} isAnimationActive={false} />
          <Line type="linear" dataKey="gLoss" name="G loss" stroke={G_COLOR} dot={history.length < 3} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </ChartPanel>
  );
}
