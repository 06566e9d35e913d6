// The settings column: presets, then every schema field not shown on the data panel, grouped. The
// normalization group shows the parameters of the method in use (and of scheduled ones) only.
// New schema fields appear here on their own (under "More settings").
import { FIELDS, type GanConfig, type NormName } from '../../core/config/schema';
import type { PresetName } from '../../core/config/presets';
import { FieldControl } from './FieldControl';
import { ALL_NORM_PARAMETERS, DATA_FIELDS, FIELD_GROUPS, HIDDEN_FIELDS, relevantNormParameters } from './field-labels';
import { OptimizerPresetSelect, SetupPresetSelect } from './PresetSelects';

interface Props {
  config: GanConfig;
  /** The D normalization the trainer uses now (the schedule may have switched away from config.norm). */
  normInUse: NormName;
  onFieldChange(key: keyof GanConfig, value: GanConfig[keyof GanConfig]): void;
  onPreset(name: PresetName): void;
  onSetupPreset(id: string): void;
}

export function SettingsPanel({ config, normInUse, onFieldChange, onPreset, onSetupPreset }: Props) {
  const grouped = new Set<keyof GanConfig>(FIELD_GROUPS.flatMap((g) => g.keys));
  const ungrouped = FIELDS.filter(
    (f) => !grouped.has(f.key) && !DATA_FIELDS.includes(f.key) && !HIDDEN_FIELDS.includes(f.key),
  );
  const groups = [
    ...FIELD_GROUPS,
    ...(ungrouped.length ? [{ title: 'More settings', keys: ungrouped.map((f) => f.key) }] : []),
  ];
  const relevant = relevantNormParameters(normInUse, config.schedule);
  const shown = (key: keyof GanConfig) => !ALL_NORM_PARAMETERS.includes(key) || relevant.includes(key);
  // The select shows the method in use; the URL keeps the person's choice (see normInUse).
  const displayed: GanConfig = { ...config, norm: normInUse };

  return (
    <section className="panel settings-panel" aria-label="Settings">
      <h2>Settings</h2>
      <SetupPresetSelect config={config} onSelect={onSetupPreset} />
      {groups.map((group) => (
        <fieldset key={group.title} className="field-group">
          <legend>{group.title}</legend>
          {group.title === 'Optimization' && <OptimizerPresetSelect config={config} onSelect={onPreset} />}
          {group.keys.filter(shown).map((key) => {
            const spec = FIELDS.find((f) => f.key === key);
            return spec ? <FieldControl key={key} spec={spec} config={displayed} onChange={onFieldChange} /> : null;
          })}
          {group.title === 'Normalization' && normInUse !== config.norm && (
            <p className="hint" data-testid="norm-in-use">
              {normInUse} was switched on by the schedule; the link starts the run with {config.norm}.
            </p>
          )}
        </fieldset>
      ))}
      <p className="hint">
        Fields marked <span className="field-live">live</span> apply to the running model at its next D update; any
        other change restarts the run.
      </p>
    </section>
  );
}
