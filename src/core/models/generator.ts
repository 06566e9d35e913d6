// Generators for 32x32 RGB images in [-1, 1], one file per architecture: the SN paper's standard CNN
// (Table 3) and CIFAR ResNet (Table 4), and a small MLP. This class only picks one and owns its
// parameters.
import type * as tf from '@tensorflow/tfjs';
import type { ArchName } from '../config/schema';
import { ParameterBag, type GeneratorForward } from './generator-parameters';
import { mlpGenerator } from './mlp-generator';
import { resnetGenerator } from './resnet-generator';
import { standardCnnGenerator } from './standard-cnn-generator';

const BUILDERS: Record<ArchName, (bag: ParameterBag, gch: number, zdim: number, seed: number) => GeneratorForward> = {
  cnn: standardCnnGenerator,
  resnet: resnetGenerator,
  mlp: mlpGenerator,
};

export class Generator {
  readonly variables: tf.Variable[];
  private readonly forward: GeneratorForward;

  constructor(
    arch: ArchName,
    readonly gch: number,
    readonly zdim: number,
    seed: number,
  ) {
    const bag = new ParameterBag();
    this.forward = BUILDERS[arch](bag, gch, zdim, seed);
    this.variables = bag.variables;
  }

  /** Images [batch, 32, 32, 3] in [-1, 1] from latent vectors [batch, zdim]. */
  apply(z: tf.Tensor2D): tf.Tensor4D {
    return this.forward(z);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
