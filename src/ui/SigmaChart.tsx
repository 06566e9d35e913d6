// sigma(W) of each discriminator layer, the power iteration's estimate: one line per layer.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MetricsPoint } from '../core/train/types';
import { ChartPanel } from './ChartPanel';
import { AXIS_TICK, CHART_HEIGHT, layerColor } from './chart-style';
import { sigmaRows } from './training-state';

interface Props {
  history: readonly MetricsPoint[];
  layerNames: readonly string[];
}

export function SigmaChart({ history, layerNames }: Props) {
  return (
    <ChartPanel
      title="Largest singular value per D layer"
      caption="σ(W) of each raw discriminator weight. SN divides by it; without normalization it drifts."
      testId="chart-sigma"
      points={layerNames.length ? history.length : 0}
    >
      <ResponsiveContainer width="100%" height={CHART_HEIGHT}>
        <LineChart data={sigmaRows(history, layerNames)} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e5e5e5" />
          <XAxis dataKey="iteration" type="number" domain={['dataMin', 'dataMax']} tick={AXIS_TICK} allowDecimals={false} />
          <YAxis tick={AXIS_TICK} width={48} domain={['auto', 'auto']} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {layerNames.map((name, i) => (
            <Line key={name} type="linear" dataKey={name} stroke={layerColor(i)} dot={history.length < 3} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartPanel>
  );
}
