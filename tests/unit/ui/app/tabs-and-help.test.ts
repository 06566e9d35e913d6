// The tab a #hash names (the query stays the run's configuration), the tab of every panel an
// experiment watches, and the help notes: every experiment they link exists and is linked as the
// experiments panel links it.
import { describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../../../../src/core/experiments/catalogue';
import { helpLinks, PANEL_HELP } from '../../../../src/ui/app/panel-help';
import { DEFAULT_TAB, hashOfTab, tabOfHash, tabOfPanel, TABS } from '../../../../src/ui/app/tabs';

describe('tabs', () => {
  it('reads #tab=<id> and #<id>, and falls back to the first tab', () => {
    expect(tabOfHash('#tab=spectra')).toBe('spectra');
    expect(tabOfHash('#runs')).toBe('runs');
    expect(tabOfHash('')).toBe(DEFAULT_TAB);
    expect(tabOfHash('#tab=nope')).toBe(DEFAULT_TAB);
    for (const tab of TABS) expect(tabOfHash(hashOfTab(tab.id))).toBe(tab.id);
    expect(hashOfTab(DEFAULT_TAB)).toBe('');
  });

  it('puts every watched panel on a tab', () => {
    for (const experiment of EXPERIMENTS) expect(tabOfPanel(experiment.watch), experiment.id).not.toBeNull();
  });
});

describe('panel help', () => {
  it('covers every watched panel and links only experiments of the catalogue', () => {
    for (const experiment of EXPERIMENTS) expect(PANEL_HELP[experiment.watch], experiment.watch).toBeDefined();
    const ids = new Set(EXPERIMENTS.map((e) => e.id));
    for (const [panel, help] of Object.entries(PANEL_HELP)) {
      for (const id of help.experiments) expect(ids.has(id), `${panel} links ${id}`).toBe(true);
    }
  });

  it("links an experiment's first run, on the tab of the panel it watches", () => {
    const [link] = helpLinks(PANEL_HELP['chart-lipschitz']);
    const experiment = EXPERIMENTS.find((e) => e.id === 'sn-bounds-sigma')!;
    expect(link.href).toBe(`?${experiment.runs[0].query}#tab=spectra`);
    const [overview] = helpLinks(PANEL_HELP['chart-collapse']);
    expect(overview.href).not.toContain('#');
  });
});
