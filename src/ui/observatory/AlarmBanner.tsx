// The collapse alarms of this run, most recent first, above the charts (each is also a red mark on
// every time chart). Nothing shows until the first alarm.
import type { CollapseAlarm } from '../../core/metrics/types';
import { alarmText, recentAlarms } from './observatory-rows';

/** Alarms listed; the count says how many there are in all. */
const SHOWN = 4;

export function AlarmBanner({ alarms }: { alarms: readonly CollapseAlarm[] }) {
  if (alarms.length === 0) return null;
  const shown = recentAlarms(alarms, SHOWN);
  return (
    <div className="collapse-alarm" role="status" data-testid="collapse-alarm" data-count={alarms.length}>
      <strong>
        {alarms.length === 1 ? '1 collapse alarm' : `${alarms.length} collapse alarms`}
        {alarms.length > shown.length ? ` (latest ${shown.length} shown)` : ''}
      </strong>
      <ul>
        {shown.map((alarm) => (
          <li key={`${alarm.iteration}-${alarm.layerIndex}`} data-iteration={alarm.iteration} data-layer={alarm.layer}>
            {alarmText(alarm)}
          </li>
        ))}
      </ul>
    </div>
  );
}
