// One configuration field as a labelled control, chosen by the field's kind in the schema.
import type { ReactNode } from 'react';
import type { FieldSpec, GanConfig, ScheduleEntry } from '../../core/config/schema';
import { ClassCheckboxes } from './ClassCheckboxes';
import { FIELD_LABELS } from './field-labels';
import { NumberField } from './NumberField';
import { ScheduleField } from './ScheduleField';

interface Props {
  spec: FieldSpec;
  config: GanConfig;
  onChange(key: keyof GanConfig, value: GanConfig[keyof GanConfig]): void;
  /** Class names for the class checkboxes (from the loaded data set). */
  classNames?: readonly string[];
}

/** Test ids fixed by the design contract; every other field gets field-<name>. */
const CONTRACT_TEST_IDS: Partial<Record<keyof GanConfig, string>> = { norm: 'norm-select' };

export function FieldControl({ spec, config, onChange, classNames }: Props) {
  const key = spec.key;
  const id = `field-${key}`;
  const testId = CONTRACT_TEST_IDS[key] ?? id;
  const value = config[key];
  const live = spec.live === true;

  const label = (
    <label htmlFor={spec.kind === 'classes' ? undefined : id} className="field-label">
      {FIELD_LABELS[key] ?? key} <code className="field-key">{key}</code>
      {live && (
        <span className="field-live" title="Applies to the running model without a restart">
          live
        </span>
      )}
    </label>
  );

  let control: ReactNode;
  switch (spec.kind) {
    case 'enum':
      control = (
        <select
          id={id}
          data-testid={testId}
          value={String(value)}
          onChange={(e) => onChange(key, e.target.value as GanConfig[keyof GanConfig])}
        >
          {spec.values.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      );
      break;
    case 'int':
    case 'float':
      control = (
        <NumberField spec={spec} id={id} testId={testId} value={value as number} onCommit={(v) => onChange(key, v)} />
      );
      break;
    case 'classes':
      control = (
        <ClassCheckboxes
          testId={testId}
          selected={value as number[]}
          classNames={classNames ?? []}
          onChange={(ids) => onChange(key, ids)}
        />
      );
      break;
    case 'schedule':
      control = (
        <ScheduleField
          id={id}
          testId={testId}
          value={value as ScheduleEntry[]}
          onCommit={(entries) => onChange(key, entries)}
        />
      );
      break;
  }

  return (
    <div className={`field field-${spec.kind}`} title={spec.doc}>
      {label}
      {control}
    </div>
  );
}
