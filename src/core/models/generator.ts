// Generators, one file per architecture: the SN paper's standard CNN (Table 3) and CIFAR ResNet
// (Table 4) for 32x32 RGB images in [-1, 1], and a small MLP for images or for the toy 2-D points.
// This class only picks one and owns its parameters.
import * as tf from '@tensorflow/tfjs';
import type { ArchName } from '../config/schema';
import { IMAGE_SHAPE, isImageShape, type SampleShape } from '../data/types';
import { ParameterBag, type GeneratorForward } from './generator-parameters';
import { mlpGenerator } from './mlp-generator';
import { resnetGenerator } from './resnet-generator';
import { standardCnnGenerator } from './standard-cnn-generator';

function build(
  arch: ArchName,
  bag: ParameterBag,
  gch: number,
  zdim: number,
  seed: number,
  sampleShape: SampleShape,
): GeneratorForward {
  if (arch === 'mlp') return mlpGenerator(bag, gch, zdim, seed, sampleShape);
  if (!isImageShape(sampleShape)) {
    throw new Error(`arch ${arch} makes 32x32x3 images; samples of shape [${sampleShape.join(', ')}] need arch mlp`);
  }
  return arch === 'cnn' ? standardCnnGenerator(bag, gch, zdim, seed) : resnetGenerator(bag, gch, zdim, seed);
}

export class Generator {
  readonly variables: tf.Variable[];
  private readonly forward: GeneratorForward;

  constructor(
    arch: ArchName,
    readonly gch: number,
    readonly zdim: number,
    seed: number,
    readonly sampleShape: SampleShape = IMAGE_SHAPE,
  ) {
    const bag = new ParameterBag();
    this.forward = build(arch, bag, gch, zdim, seed, sampleShape);
    this.variables = bag.variables;
  }

  /**
   * Samples [batch, ...sampleShape] (images [batch, 32, 32, 3] in [-1, 1], or points [batch, 2]) from latent vectors
   * [batch, zdim].
   */
  apply(z: tf.Tensor2D): tf.Tensor {
    return this.forward(z);
  }

  /** Every parameter as a fresh copy (safe to transfer), in `variables` order. */
  async readWeights(): Promise<Float32Array[]> {
    return Promise.all(this.variables.map(async (v) => new Float32Array(await v.data())));
  }

  /** Sets every parameter from readWeights()'s output of a generator of the same architecture and sizes. */
  loadWeights(weights: readonly Float32Array[]): void {
    if (weights.length !== this.variables.length)
      throw new Error(`expected ${this.variables.length} generator weights, got ${weights.length}`);
    this.variables.forEach((v, i) => {
      if (weights[i].length !== v.size)
        throw new Error(`generator weight ${v.name}: expected ${v.size} values, got ${weights[i].length}`);
    });
    tf.tidy(() => this.variables.forEach((v, i) => v.assign(tf.tensor(weights[i], v.shape))));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
