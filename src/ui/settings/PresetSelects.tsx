// Preset pickers. A preset only writes URL fields; each select shows the preset the current fields
// match, or "custom", so a link made from a preset is recognized when it is opened.
import type { GanConfig } from '../../core/config/schema';
import {
  SETUP_GROUP_TITLES,
  SETUP_PRESETS,
  SN_PAPER_PRESETS,
  matchingPreset,
  matchingSetupPreset,
  type PresetName,
  type SetupPreset,
} from '../../core/config/presets';

const CUSTOM = 'custom';
const GROUPS = Object.keys(SETUP_GROUP_TITLES) as SetupPreset['group'][];

/** Full set-ups (architecture, widths, batch, loss, optimizer): the papers' experiments. */
export function SetupPresetSelect({ config, onSelect }: { config: GanConfig; onSelect(id: string): void }) {
  const current = matchingSetupPreset(config);
  return (
    <div
      className="field field-preset"
      title={
        "A paper's set-up: architecture, channels, batch, loss and optimizer. Data, seed and " +
        'normalization stay as they are.'
      }
    >
      <label htmlFor="field-preset" className="field-label">
        Preset
      </label>
      <select
        id="field-preset"
        data-testid="preset-select"
        value={current?.id ?? CUSTOM}
        onChange={(e) => e.target.value !== CUSTOM && onSelect(e.target.value)}
      >
        <option value={CUSTOM}>custom</option>
        {GROUPS.map((group) => (
          <optgroup key={group} label={SETUP_GROUP_TITLES[group]}>
            {SETUP_PRESETS.filter((p) => p.group === group).map((p) => (
              <option key={p.id} value={p.id} className={p.collapseProne ? 'preset-collapse-prone' : undefined}>
                {p.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {current?.collapseProne && (
        <span className="preset-warning" data-testid="preset-warning">
          Collapse-prone under SN: watch the spectrum, then try SR.
        </span>
      )}
    </div>
  );
}

const OPTIMIZER_NAMES = Object.keys(SN_PAPER_PRESETS) as PresetName[];

function optimizerLabel(name: PresetName): string {
  const p = SN_PAPER_PRESETS[name];
  return `${name}: lr ${p.lr}, β ${p.beta1}/${p.beta2}, n_dis ${p.ndis}`;
}

/** The SN paper's optimizer settings A-F alone, on whatever model is chosen. */
export function OptimizerPresetSelect({ config, onSelect }: { config: GanConfig; onSelect(name: PresetName): void }) {
  const current = matchingPreset(config);
  return (
    <div
      className="field"
      title="Optimizer settings A-F of the SN paper (Miyato et al. 2018, Table 1); only lr, β1, β2 and n_dis change"
    >
      <label htmlFor="field-optimizer-preset" className="field-label">
        SN paper optimizer
      </label>
      <select
        id="field-optimizer-preset"
        data-testid="optimizer-preset-select"
        value={current ?? CUSTOM}
        onChange={(e) => e.target.value !== CUSTOM && onSelect(e.target.value as PresetName)}
      >
        {OPTIMIZER_NAMES.map((name) => (
          <option key={name} value={name}>
            {optimizerLabel(name)}
          </option>
        ))}
        <option value={CUSTOM}>custom</option>
      </select>
    </div>
  );
}
