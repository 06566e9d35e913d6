// The discriminator's normalizers, one set per method, each created the first time its method is
// used and kept afterwards: switching back to a method resumes its persistent state (u, v, r).
import type * as tf from '@tensorflow/tfjs';
import type { GanConfig, NormName } from '../config/schema';
import { deriveSeed } from '../data/seeded-random';
import type { DiscriminatorLayer } from '../models/discriminator-layer';
import { createNormalizer } from '../normalize/registry';
import { normalizerSettings } from '../normalize/settings';
import type { LayerNormalizer } from '../normalize/types';

export class NormalizerBank {
  private readonly byMethod = new Map<NormName, LayerNormalizer[]>();

  constructor(
    private readonly layers: readonly DiscriminatorLayer[],
    private readonly seed: number,
  ) {}

  /** The method's normalizers, one per D layer (created with `config`'s settings on first use). */
  of(method: NormName, config: GanConfig): LayerNormalizer[] {
    let layerNormalizers = this.byMethod.get(method);
    if (!layerNormalizers) {
      layerNormalizers = this.layers.map((layer, i) =>
        createNormalizer(
          method,
          { kind: layer.kind, shape: layer.weight.shape },
          deriveSeed(this.seed, 200 + i),
          normalizerSettings(config),
        ),
      );
      this.byMethod.set(method, layerNormalizers);
    }
    return layerNormalizers;
  }

  /** Every method created so far (a checkpoint saves each one's state). */
  get created(): ReadonlyMap<NormName, readonly LayerNormalizer[]> {
    return this.byMethod;
  }

  /** New live settings reach every method's normalizers, so a later switch back uses them too. */
  setSettings(config: GanConfig): void {
    for (const layerNormalizers of this.byMethod.values()) {
      for (const n of layerNormalizers) n.setSettings(normalizerSettings(config));
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
