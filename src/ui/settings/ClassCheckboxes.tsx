// Class ids 0-9 as checkboxes; at least one stays checked (an empty class list has no images).
interface Props {
  selected: readonly number[];
  classNames: readonly string[];
  onChange(ids: number[]): void;
  testId: string;
}

const CLASS_IDS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

export function ClassCheckboxes({ selected, classNames, onChange, testId }: Props) {
  const toggle = (id: number, checked: boolean) => {
    const next = checked ? [...selected, id] : selected.filter((c) => c !== id);
    if (next.length > 0) onChange([...new Set(next)].sort((a, b) => a - b));
  };
  return (
    <fieldset className="class-checkboxes" data-testid={testId}>
      <legend className="visually-hidden">Classes</legend>
      {CLASS_IDS.map((id) => {
        const checked = selected.includes(id);
        return (
          <label key={id} className="class-checkbox">
            <input
              type="checkbox"
              data-testid={`class-${id}`}
              checked={checked}
              disabled={checked && selected.length === 1}
              onChange={(e) => toggle(id, e.target.checked)}
            />
            {id} {classNames[id] ?? ''}
          </label>
        );
      })}
    </fieldset>
  );
}
