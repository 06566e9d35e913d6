// The discriminator's normalizers, one set per method, each created the first time its method is
// used and kept afterwards: switching back to a method resumes its persistent state (u, v, r).
import type * as tf from '@tensorflow/tfjs';
import type { NormName } from '../config/schema';
import { deriveSeed } from '../data/seeded-random';
import type { DiscriminatorLayer } from '../models/discriminator-layer';
import type { NormalizerState } from '../normalize/persistent-state';
import { createNormalizer } from '../normalize/registry';
import { normalizerSettings, type NormalizationFields } from '../normalize/settings';
import type { LayerNormalizer, NormalizerSettings } from '../normalize/types';

/** Per method created so far, one state per D layer (a checkpoint's `normalizers`). */
export type NormalizerStates = Partial<Record<NormName, NormalizerState[]>>;

export class NormalizerBank {
  private readonly byMethod = new Map<NormName, LayerNormalizer[]>();
  /** The live settings: every method's normalizers get them, also those created later. */
  private settings: NormalizerSettings;

  constructor(
    private readonly layers: readonly DiscriminatorLayer[],
    private readonly seed: number,
    config: NormalizationFields,
  ) {
    this.settings = normalizerSettings(config);
  }

  /** The method's normalizers, one per D layer (created on first use). */
  of(method: NormName): LayerNormalizer[] {
    let layerNormalizers = this.byMethod.get(method);
    if (!layerNormalizers) {
      layerNormalizers = this.layers.map((layer, i) =>
        createNormalizer(
          method,
          { kind: layer.kind, shape: layer.weight.shape },
          deriveSeed(this.seed, 200 + i),
          this.settings,
        ),
      );
      this.byMethod.set(method, layerNormalizers);
    }
    return layerNormalizers;
  }

  /** New live settings reach every method's normalizers, so a later switch back uses them too. */
  setSettings(config: NormalizationFields): void {
    this.settings = normalizerSettings(config);
    for (const layerNormalizers of this.byMethod.values()) {
      for (const n of layerNormalizers) n.setSettings(this.settings);
    }
  }

  /** Copies of every created method's state, whatever method is current. */
  async saveStates(): Promise<NormalizerStates> {
    const states: NormalizerStates = {};
    for (const [method, layers] of this.byMethod) states[method] = await Promise.all(layers.map((n) => n.saveState()));
    return states;
  }

  /** Puts saveStates()'s output back, creating each saved method's normalizers as needed. */
  loadStates(states: NormalizerStates): void {
    for (const [method, saved] of Object.entries(states) as [NormName, NormalizerState[]][]) {
      const layers = this.of(method);
      if (saved.length !== layers.length)
        throw new Error(`checkpoint: ${saved.length} ${method} states for ${layers.length} layers`);
      layers.forEach((n, i) => n.loadState(saved[i]));
    }
  }

  /** Each layer's weight as the forward pass uses it (the raw variable itself for methods that keep it). */
  effectiveWeights(normalizers: readonly LayerNormalizer[]): tf.Tensor[] {
    return this.layers.map((layer, i) => normalizers[i].effectiveWeight(layer.weight));
  }

  dispose(): void {
    for (const layerNormalizers of this.byMethod.values()) layerNormalizers.forEach((n) => n.dispose());
    this.byMethod.clear();
  }
}
