// A number input that commits on Enter or blur, only when the value is valid for its field, so
// typing "16" never builds a model for "1" on the way.
import { useEffect, useState, type KeyboardEvent } from 'react';
import type { NumberField as NumberFieldSpec } from '../../core/config/schema';
import type { GanConfig } from '../../core/config/schema';

interface Props {
  spec: NumberFieldSpec<keyof GanConfig>;
  id: string;
  value: number;
  onCommit(value: number): void;
  testId: string;
}

function problemWith(spec: Props['spec'], text: string): string | null {
  if (text.trim() === '') return 'enter a number';
  const value = Number(text);
  if (!Number.isFinite(value)) return 'not a number';
  if (spec.kind === 'int' && !Number.isInteger(value)) return 'must be a whole number';
  if (value < spec.min || value > spec.max) return `must be between ${spec.min} and ${spec.max}`;
  return null;
}

export function NumberField({ spec, id, value, onCommit, testId }: Props) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const problem = problemWith(spec, text);

  const commit = () => {
    if (problem) return;
    const next = Number(text);
    if (next !== value) onCommit(next);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') commit();
    if (event.key === 'Escape') setText(String(value));
  };

  return (
    <>
      <input
        id={id}
        data-testid={testId}
        type="number"
        inputMode={spec.kind === 'int' ? 'numeric' : 'decimal'}
        min={spec.min}
        max={spec.max}
        step={spec.kind === 'int' ? 1 : 'any'}
        value={text}
        aria-invalid={problem !== null}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={onKeyDown}
      />
      {problem && (
        <span className="field-problem" id={`${id}-problem`} role="alert">
          {problem}
        </span>
      )}
    </>
  );
}
