// The discriminator the trainer uses, whatever the architecture: a flat list of weight layers
// (conv or dense, each with its raw weight) and a forward pass that takes the effective weights
// from outside, so any normalization can be applied to the raw weights without the model knowing.
import type * as tf from '@tensorflow/tfjs';
import type { ArchName } from '../config/schema';
import { IMAGE_SHAPE, isImageShape, type SampleShape } from '../data/types';
import type { DiscriminatorLayer, DiscriminatorNetwork } from './discriminator-layer';
import { ResnetDiscriminator } from './resnet-discriminator';
import { mlpDiscriminator, standardCnnDiscriminator } from './sequential-discriminator';

export type { DiscriminatorLayer } from './discriminator-layer';
export { D_LEAKY_SLOPE } from './sequential-discriminator';

function buildNetwork(arch: ArchName, ch: number, seed: number, sampleShape: SampleShape): DiscriminatorNetwork {
  if (arch === 'mlp') return mlpDiscriminator(ch, seed, sampleShape);
  if (!isImageShape(sampleShape)) {
    throw new Error(`arch ${arch} reads 32x32x3 images; samples of shape [${sampleShape.join(', ')}] need arch mlp`);
  }
  switch (arch) {
    case 'cnn':
      return standardCnnDiscriminator(ch, seed);
    case 'resnet':
      return new ResnetDiscriminator(ch, seed);
  }
}

export class Discriminator {
  readonly layers: DiscriminatorLayer[];
  private readonly network: DiscriminatorNetwork;

  constructor(
    arch: ArchName,
    ch: number,
    seed: number,
    readonly sampleShape: SampleShape = IMAGE_SHAPE,
  ) {
    this.network = buildNetwork(arch, ch, seed, sampleShape);
    this.layers = this.network.layers;
  }

  /** Logits [batch, 1] for samples [batch, ...sampleShape], using the given effective weights. */
  apply(samples: tf.Tensor, weights: readonly tf.Tensor[]): tf.Tensor2D {
    if (weights.length !== this.layers.length) {
      throw new Error(`expected ${this.layers.length} D weights, got ${weights.length}`);
    }
    return this.network.forward(samples, weights);
  }

  get variables(): tf.Variable[] {
    return this.layers.flatMap((layer) => (layer.bias ? [layer.weight, layer.bias] : [layer.weight]));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
