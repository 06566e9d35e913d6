// The normalization schedule as text (`40000:sr-dynamic,60000:sn`, the URL form). It commits on
// Enter or blur only when the URL codec accepts it, and shows the codec's own message otherwise,
// so the page and a hand-edited link reject the same things with the same words.
import { useEffect, useState, type KeyboardEvent } from 'react';
import type { ScheduleEntry } from '../../core/config/schema';
import { decodeConfig, formatSchedule } from '../../core/config/url-codec';

interface Props {
  id: string;
  testId: string;
  value: readonly ScheduleEntry[];
  onCommit(value: ScheduleEntry[]): void;
}

function parse(text: string): { schedule: ScheduleEntry[] } | { problem: string } {
  const { config, errors } = decodeConfig(new URLSearchParams({ schedule: text.trim() }).toString());
  // The codec's message ends with "; using <default>", which does not apply to an unsaved edit.
  return errors.length ? { problem: errors[0].replace(/; using .*$/, '') } : { schedule: config.schedule };
}

export function ScheduleField({ id, testId, value, onCommit }: Props) {
  const saved = formatSchedule(value);
  const [text, setText] = useState(saved);
  useEffect(() => setText(saved), [saved]);
  const parsed = parse(text);
  const problem = 'problem' in parsed ? parsed.problem : null;

  const commit = () => {
    if ('schedule' in parsed && formatSchedule(parsed.schedule) !== saved) onCommit(parsed.schedule);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') commit();
    if (event.key === 'Escape') setText(saved);
  };

  return (
    <>
      <input
        id={id}
        data-testid={testId}
        type="text"
        placeholder="e.g. 40000:sr-dynamic,60000:sn"
        spellCheck={false}
        value={text}
        aria-invalid={problem !== null}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={onKeyDown}
      />
      {problem && (
        <span className="field-problem" id={`${id}-problem`} role="alert" data-testid={`${testId}-problem`}>
          {problem}
        </span>
      )}
    </>
  );
}
