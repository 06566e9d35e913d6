// The discriminator the trainer uses, whatever the architecture: a flat list of weight layers
// (conv or dense, each with its raw weight) and a forward pass that takes the effective weights
// from outside, so any normalization can be applied to the raw weights without the model knowing.
import type * as tf from '@tensorflow/tfjs';
import type { ArchName } from '../config/schema';
import type { DiscriminatorLayer, DiscriminatorNetwork } from './discriminator-layer';
import { ResnetDiscriminator } from './resnet-discriminator';
import { mlpDiscriminator, standardCnnDiscriminator } from './sequential-discriminator';

export type { DiscriminatorLayer } from './discriminator-layer';
export { D_LEAKY_SLOPE } from './sequential-discriminator';

function buildNetwork(arch: ArchName, ch: number, seed: number): DiscriminatorNetwork {
  switch (arch) {
    case 'cnn':
      return standardCnnDiscriminator(ch, seed);
    case 'resnet':
      return new ResnetDiscriminator(ch, seed);
    case 'mlp':
      return mlpDiscriminator(ch, seed);
  }
}

export class Discriminator {
  readonly layers: DiscriminatorLayer[];
  private readonly network: DiscriminatorNetwork;

  constructor(arch: ArchName, ch: number, seed: number) {
    this.network = buildNetwork(arch, ch, seed);
    this.layers = this.network.layers;
  }

  /** Logits [batch, 1] for images [batch, 32, 32, 3], using the given effective weights. */
  apply(images: tf.Tensor4D, weights: readonly tf.Tensor[]): tf.Tensor2D {
    if (weights.length !== this.layers.length) {
      throw new Error(`expected ${this.layers.length} D weights, got ${weights.length}`);
    }
    return this.network.forward(images, weights);
  }

  get variables(): tf.Variable[] {
    return this.layers.flatMap((layer) => (layer.bias ? [layer.weight, layer.bias] : [layer.weight]));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
