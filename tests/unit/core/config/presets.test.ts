import { describe, expect, it } from 'vitest';
import {
  SETUP_KEYS,
  SETUP_PRESETS,
  SN_PAPER_PRESETS,
  SR_GRID_D_WIDTHS,
  applySetupPreset,
  findSetupPreset,
  isCollapseProne,
  matchingPreset,
  matchingSetupPreset,
} from '../../../../src/core/config/presets';
import { defaultConfig, fieldSpec, type GanConfig, type NumberField } from '../../../../src/core/config/schema';
import { decodeConfig, encodeConfig } from '../../../../src/core/config/url-codec';
import { resnetDiscriminatorWidth } from '../../../../src/core/models/resnet-discriminator';

describe('set-up presets', () => {
  it('has the six SN paper settings on the standard CNN and a 4 x 4 SR-GAN grid on the ResNet', () => {
    const sn = SETUP_PRESETS.filter((p) => p.group === 'sn-paper');
    expect(sn.map((p) => p.id)).toEqual(['sn-A', 'sn-B', 'sn-C', 'sn-D', 'sn-E', 'sn-F']);
    for (const p of sn) {
      const letter = p.id.slice(3) as keyof typeof SN_PAPER_PRESETS;
      expect(p.fields).toMatchObject({ arch: 'cnn', ch: 64, gch: 64, batch: 64, ...SN_PAPER_PRESETS[letter] });
      expect(p.label).toContain(`SN paper setting ${letter}, standard CNN`);
    }
    const sr = SETUP_PRESETS.filter((p) => p.group === 'sr-grid');
    expect(sr).toHaveLength(16);
    for (const p of sr)
      expect(p.fields).toMatchObject({ arch: 'resnet', loss: 'hinge', lr: 2e-4, beta1: 0, beta2: 0.9, ndis: 5 });
    expect(findSetupPreset('sr-64-128')?.fields).toMatchObject({ batch: 64, ch: 64, gch: 64 });
    expect(findSetupPreset('sr-64-128')?.label).toContain("SN paper's CIFAR ResNet");
  });

  it('names D channels by the ResNet D width (2 ch), as the SR-GAN settings do', () => {
    for (const width of SR_GRID_D_WIDTHS) expect(resnetDiscriminatorWidth(width / 2)).toBe(width);
    const p = findSetupPreset('sr-512-16');
    expect(p?.fields.ch).toBe(8);
    expect(p?.label).toContain('X_{512-16}');
  });

  it('labels the collapse-prone corner (small D channels, large batch) and only it', () => {
    const prone = SETUP_PRESETS.filter((p) => p.collapseProne).map((p) => p.id);
    expect(prone).toEqual(['sr-256-32', 'sr-256-16', 'sr-512-32', 'sr-512-16']);
    for (const p of SETUP_PRESETS) expect(p.label.includes('collapse-prone under SN')).toBe(p.collapseProne);
    expect(isCollapseProne(128, 16)).toBe(false);
    expect(isCollapseProne(256, 64)).toBe(false);
  });

  it('every preset is valid for the schema and survives the URL', () => {
    for (const p of SETUP_PRESETS) {
      for (const key of SETUP_KEYS) {
        const spec = fieldSpec(key);
        const value = p.fields[key];
        if (spec.kind === 'int' || spec.kind === 'float') {
          const range = spec as NumberField<keyof GanConfig>;
          expect(value as number, `${p.id}.${key}`).toBeGreaterThanOrEqual(range.min);
          expect(value as number, `${p.id}.${key}`).toBeLessThanOrEqual(range.max);
        }
      }
      const config = applySetupPreset({ ...defaultConfig(), seed: 9, norm: 'bssn' }, p.id);
      const decoded = decodeConfig(encodeConfig(config));
      expect(decoded.errors).toEqual([]);
      expect(matchingSetupPreset(decoded.config)?.id).toBe(p.id);
      // A preset leaves the person's own choices alone.
      expect(decoded.config.seed).toBe(9);
      expect(decoded.config.norm).toBe('bssn');
    }
  });

  it('ids are unique and no two presets set the same fields', () => {
    expect(new Set(SETUP_PRESETS.map((p) => p.id)).size).toBe(SETUP_PRESETS.length);
    const keys = SETUP_PRESETS.map((p) => JSON.stringify(SETUP_KEYS.map((k) => p.fields[k])));
    expect(new Set(keys).size).toBe(SETUP_PRESETS.length);
  });

  it('a changed field makes the config custom; the optimizer-only presets still match on their own', () => {
    const config = applySetupPreset(defaultConfig(), 'sn-D');
    expect(matchingSetupPreset(config)?.id).toBe('sn-D');
    expect(matchingPreset(config)).toBe('D');
    expect(matchingSetupPreset({ ...config, batch: 32 })).toBeNull();
    expect(matchingPreset({ ...config, batch: 32 })).toBe('D');
    expect(() => applySetupPreset(defaultConfig(), 'nope')).toThrow(/unknown preset/);
  });
});
