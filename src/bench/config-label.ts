// A configuration as the benchmark table names it: only the fields that differ from the defaults,
// in the page's query form (the full query has every field and would not fit in a table cell).
import { defaultConfig, type GanConfig } from '../core/config/schema';
import { encodeConfig } from '../core/config/url-codec';

export function configLabel(config: GanConfig, omit: readonly (keyof GanConfig)[] = []): string {
  const defaults = new URLSearchParams(encodeConfig(defaultConfig()));
  const changed = [...new URLSearchParams(encodeConfig(config))].filter(
    ([key, value]) => defaults.get(key) !== value && !omit.includes(key as keyof GanConfig),
  );
  return changed.map(([key, value]) => `${key}=${value}`).join('&') || 'defaults';
}
