// The settings column: the SN paper's optimizer presets, then every schema field not shown on the
// data panel, grouped. New schema fields appear here on their own (under "More settings").
import { FIELDS, type GanConfig } from '../core/config/schema';
import { SN_PAPER_PRESETS, matchingPreset, type PresetName } from '../core/config/presets';
import { FieldControl } from './FieldControl';
import { DATA_FIELDS, FIELD_GROUPS, HIDDEN_FIELDS } from './field-labels';

interface Props {
  config: GanConfig;
  onFieldChange(key: keyof GanConfig, value: GanConfig[keyof GanConfig]): void;
  onPreset(name: PresetName): void;
}

const PRESET_NAMES = Object.keys(SN_PAPER_PRESETS) as PresetName[];

function presetLabel(name: PresetName): string {
  const p = SN_PAPER_PRESETS[name];
  return `${name}: lr ${p.lr}, β ${p.beta1}/${p.beta2}, n_dis ${p.ndis}`;
}

export function SettingsPanel({ config, onFieldChange, onPreset }: Props) {
  const grouped = new Set<keyof GanConfig>(FIELD_GROUPS.flatMap((g) => g.keys));
  const ungrouped = FIELDS.filter((f) => !grouped.has(f.key) && !DATA_FIELDS.includes(f.key) && !HIDDEN_FIELDS.includes(f.key));
  const groups = [...FIELD_GROUPS, ...(ungrouped.length ? [{ title: 'More settings', keys: ungrouped.map((f) => f.key) }] : [])];
  const preset = matchingPreset(config);

  return (
    <section className="panel settings-panel" aria-label="Settings">
      <h2>Settings</h2>
      {groups.map((group) => (
        <fieldset key={group.title} className="field-group">
          <legend>{group.title}</legend>
          {group.title === 'Optimization' && (
            <div className="field" title="Optimizer settings A-F of the SN paper (Miyato et al. 2018, Table 1)">
              <label htmlFor="field-preset" className="field-label">
                SN paper preset
              </label>
              <select
                id="field-preset"
                data-testid="preset-select"
                value={preset ?? 'custom'}
                onChange={(e) => e.target.value !== 'custom' && onPreset(e.target.value as PresetName)}
              >
                {PRESET_NAMES.map((name) => (
                  <option key={name} value={name}>
                    {presetLabel(name)}
                  </option>
                ))}
                <option value="custom">custom</option>
              </select>
            </div>
          )}
          {group.keys.map((key) => {
            const spec = FIELDS.find((f) => f.key === key);
            return spec ? <FieldControl key={key} spec={spec} config={config} onChange={onFieldChange} /> : null;
          })}
        </fieldset>
      ))}
      <p className="hint">
        Fields marked <span className="field-live">live</span> apply to the running model; any other change restarts the run.
      </p>
    </section>
  );
}
