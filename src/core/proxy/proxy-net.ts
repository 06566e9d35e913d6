// The proxy net: the playground's own small classifier, whose penultimate activations stand in for
// Inception's pool features and whose softmax stands in for Inception's class probabilities.
// Plain tf.variable weights with a functional forward pass (as src/core/models/), seeded He-normal
// initialization, no batch norm, so a trained net is just its recipe plus a list of float32 arrays.
//
// Inputs are NHWC images [N, 32, 32, 3] in [-1, 1], the range the generator produces and the batch
// sampler feeds the discriminator.
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../data/seeded-random';
import { IMAGE_BYTES, IMAGE_SIZE, type ImageSet } from '../data/types';
import { cpuConv3x3 } from './cpu-conv';
import { checkProxyFileTensors, decodeProxyFile, encodeProxyFile, type ProxyFileTensor } from './proxy-file';
import { imagesToUnitFloats } from './proxy-images';
import { recipeKey, validateRecipe, type ProxyRecipe } from './proxy-recipe';
import { trainProxyEpochs, type ProxyTrainOptions, type ProxyTrainResult } from './proxy-train';

// Kept here for importers from before the split: the input conversion and the file format live in
// proxy-images.ts and proxy-file.ts.
export { imagesToUnitFloats } from './proxy-images';
export { PROXY_FILE_FORMAT_VERSION, PROXY_FILE_MAGIC, type ProxyFileHeader } from './proxy-file';
export type { ProxyTrainOptions, ProxyTrainProgress, ProxyTrainResult } from './proxy-train';

/** Images per forward pass in accuracy / featuresAndProbabilities (bounds memory, not results). */
export const DEFAULT_EVAL_BATCH = 200;

// A type alias, not an interface, so tf.tidy accepts it as a TensorContainer.
export type ProxyOutputs = {
  /** [N, F] penultimate activations (after the activation). */
  features: tf.Tensor2D;
  /** [N, C] class logits. */
  logits: tf.Tensor2D;
};

export interface ProxyFeaturesAndProbabilities {
  /** [count, F] row-major. */
  features: Float32Array;
  /** [count, C] row-major softmax rows. */
  probabilities: Float32Array;
}

/** What sample-quality.ts needs from a proxy: ProxyNet fits, and so can a test double. */
export interface FeatureProvider {
  readonly featureDimension: number;
  readonly classCount: number;
  featuresAndProbabilities(images: Float32Array, count: number): Promise<ProxyFeaturesAndProbabilities>;
}

export interface ProxyCreateOptions {
  /** The data labels the C outputs stand for, in output order (default 0..C-1). */
  classIds?: readonly number[];
  /** Names of those classes, in output order (kept in the serialized header). */
  classNames?: readonly string[];
  /** What the net is (to be) trained on; recipeKey(recipe, dataKey) names it. */
  dataKey?: string;
}

interface Layer {
  name: string;
  kernel: tf.Variable;
  bias: tf.Variable;
  stride: number;
}

function heNormal(shape: number[], fanIn: number, seed: number): tf.Variable {
  return tf.tidy(() => tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed), true));
}

function zeros(shape: number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.zeros(shape), true));
}

export class ProxyNet implements FeatureProvider {
  readonly recipe: ProxyRecipe;
  readonly classCount: number;
  readonly classIds: readonly number[];
  readonly classNames: readonly string[] | null;
  readonly seed: number;
  readonly dataKey: string | null;
  /** Test accuracy from the last accuracy() call (or the serialized one); null until measured. */
  testAccuracy: number | null = null;
  private readonly convs: Layer[];
  private readonly feature: Layer;
  private readonly output: Layer;
  private readonly labelToOutput: Int32Array;
  private disposed = false;

  private constructor(recipe: ProxyRecipe, classCount: number, seed: number, options: ProxyCreateOptions) {
    validateRecipe(recipe);
    if (!Number.isInteger(classCount) || classCount < 2)
      throw new Error(`ProxyNet: classCount must be an integer >= 2, got ${classCount}`);
    const classIds = options.classIds ? [...options.classIds] : Array.from({ length: classCount }, (_, i) => i);
    if (classIds.length !== classCount)
      throw new Error(`ProxyNet: ${classIds.length} class ids given for ${classCount} classes`);
    this.labelToOutput = new Int32Array(256).fill(-1);
    classIds.forEach((id, output) => {
      if (!Number.isInteger(id) || id < 0 || id > 255)
        throw new Error(`ProxyNet: class id ${id} is not an integer 0-255`);
      if (this.labelToOutput[id] !== -1) throw new Error(`ProxyNet: class id ${id} is listed twice`);
      this.labelToOutput[id] = output;
    });
    if (options.classNames && options.classNames.length !== classCount) {
      throw new Error(`ProxyNet: ${options.classNames.length} class names given for ${classCount} classes`);
    }
    this.recipe = recipe;
    this.classCount = classCount;
    this.classIds = classIds;
    this.classNames = options.classNames ? [...options.classNames] : null;
    this.seed = seed;
    this.dataKey = options.dataKey ?? null;

    let channels = 3;
    this.convs = recipe.convs.map((conv, i) => {
      const layer: Layer = {
        name: `conv${i}`,
        kernel: heNormal([3, 3, channels, conv.channels], 9 * channels, deriveSeed(seed, 10 + i)),
        bias: zeros([conv.channels]),
        stride: conv.stride,
      };
      channels = conv.channels;
      return layer;
    });
    const f = recipe.featureDimension;
    this.feature = {
      name: 'feature',
      kernel: heNormal([channels, f], channels, deriveSeed(seed, 100)),
      bias: zeros([f]),
      stride: 1,
    };
    // Logits start small-ish: He variance halved (no activation after this layer).
    this.output = {
      name: 'logits',
      kernel: heNormal([f, classCount], 2 * f, deriveSeed(seed, 101)),
      bias: zeros([classCount]),
      stride: 1,
    };
  }

  /** A freshly initialized net (seeded: the same arguments give the same weights on every backend). */
  static create(
    recipe: ProxyRecipe,
    classCount: number,
    seed: number = recipe.seed,
    options: ProxyCreateOptions = {},
  ): ProxyNet {
    return new ProxyNet(recipe, classCount, seed, options);
  }

  get featureDimension(): number {
    return this.recipe.featureDimension;
  }

  /** recipeKey(recipe, dataKey), or null when the net was created without a data key. */
  get key(): string | null {
    return this.dataKey === null ? null : recipeKey(this.recipe, this.dataKey);
  }

  /** Every weight in serialization order. */
  get variables(): tf.Variable[] {
    return [...this.convs, this.feature, this.output].flatMap((layer) => [layer.kernel, layer.bias]);
  }

  private get namedVariables(): { name: string; variable: tf.Variable }[] {
    return [...this.convs, this.feature, this.output].flatMap((layer) => [
      { name: `${layer.name}.kernel`, variable: layer.kernel },
      { name: `${layer.name}.bias`, variable: layer.bias },
    ]);
  }

  parameterCount(): number {
    return this.variables.reduce((total, v) => total + v.size, 0);
  }

  private checkAlive(caller: string): void {
    if (this.disposed) throw new Error(`ProxyNet.${caller}: the net was disposed`);
  }

  private activate(x: tf.Tensor): tf.Tensor {
    return this.recipe.activation === 'relu' ? tf.relu(x) : tf.leakyRelu(x, this.recipe.leakySlope);
  }

  /**
   * Features [N, F] and logits [N, C] of images [N, 32, 32, 3] in [-1, 1]. Intermediates are freed;
   * the two outputs belong to the caller (works inside or outside tf.tidy).
   */
  forward(images: tf.Tensor4D): ProxyOutputs {
    this.checkAlive('forward');
    const shape = images.shape;
    if (shape.length !== 4 || shape[1] !== IMAGE_SIZE || shape[2] !== IMAGE_SIZE || shape[3] !== 3) {
      throw new Error(`ProxyNet.forward: images must be [N, 32, 32, 3], got [${shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      const relu = this.recipe.activation === 'relu';
      const onCpu = tf.getBackend() === 'cpu';
      let h = images as tf.Tensor4D;
      for (const layer of this.convs) {
        const stride = layer.stride as 1 | 2;
        if (onCpu) {
          // tfjs-cpu's conv gradients are naive loops; im2col + matMul is the same function, far faster.
          h = cpuConv3x3(h, layer.kernel, layer.bias, stride, relu);
          if (!relu) h = this.activate(h) as tf.Tensor4D;
        } else if (relu) {
          // Fused conv + bias + ReLU: one kernel, and its gradient is supported for 'relu'.
          h = tf.fused.conv2d({
            x: h,
            filter: layer.kernel as tf.Tensor4D,
            strides: stride,
            pad: 'same',
            bias: layer.bias,
            activation: 'relu',
          });
        } else {
          h = this.activate(
            tf.add(tf.conv2d(h, layer.kernel as tf.Tensor4D, stride, 'same'), layer.bias),
          ) as tf.Tensor4D;
        }
      }
      const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
      const features = this.activate(
        tf.add(tf.matMul(pooled, this.feature.kernel as tf.Tensor2D), this.feature.bias),
      ) as tf.Tensor2D;
      const logits = tf.add(tf.matMul(features, this.output.kernel as tf.Tensor2D), this.output.bias) as tf.Tensor2D;
      return { features, logits };
    });
  }

  /** Output index of each label of `set`; a label outside classIds is an error naming it. */
  private outputLabels(set: ImageSet): Int32Array {
    const out = new Int32Array(set.count);
    for (let i = 0; i < set.count; i++) {
      const output = this.labelToOutput[set.labels[i]];
      if (output < 0) {
        throw new Error(
          `ProxyNet: image ${i} of ${set.name} has label ${set.labels[i]}, which is not among this ` +
            `net's classes ${this.classIds.join(',')}`,
        );
      }
      out[i] = output;
    }
    return out;
  }

  /**
   * Trains `epochs` (default recipe.epochs) epochs of Adam on softmax cross-entropy (proxy-train.ts
   * says how).
   */
  async trainEpochs(train: ImageSet, options: ProxyTrainOptions = {}): Promise<ProxyTrainResult> {
    this.checkAlive('trainEpochs');
    return trainProxyEpochs(this, train, () => this.outputLabels(train), options);
  }

  /** Runs `fn` on [-1, 1] batches of `count` images of `images` (NHWC floats), batch by batch. */
  private async forEachBatch(
    images: Float32Array,
    count: number,
    batchSize: number,
    fn: (outputs: ProxyOutputs, start: number, size: number) => Promise<void>,
  ): Promise<void> {
    for (let start = 0; start < count; start += batchSize) {
      const size = Math.min(batchSize, count - start);
      const outputs = tf.tidy(() => {
        const x = tf.tensor4d(images.subarray(start * IMAGE_BYTES, (start + size) * IMAGE_BYTES), [
          size,
          IMAGE_SIZE,
          IMAGE_SIZE,
          3,
        ]);
        return this.forward(x);
      });
      try {
        await fn(outputs, start, size);
      } finally {
        tf.dispose([outputs.features, outputs.logits]);
      }
    }
  }

  /**
   * Features [count, F] and softmax probabilities [count, C] of `count` images (NHWC floats in
   * [-1, 1], row-major [count, 32, 32, 3]), `batchSize` images per forward pass.
   */
  async featuresAndProbabilities(
    images: Float32Array,
    count: number,
    batchSize = DEFAULT_EVAL_BATCH,
  ): Promise<ProxyFeaturesAndProbabilities> {
    this.checkAlive('featuresAndProbabilities');
    if (!Number.isInteger(count) || count < 0)
      throw new Error(`ProxyNet.featuresAndProbabilities: count must be a non-negative integer, got ${count}`);
    if (images.length !== count * IMAGE_BYTES) {
      throw new Error(
        `ProxyNet.featuresAndProbabilities: ${count} images of 32x32x3 need ${count * IMAGE_BYTES} ` +
          `floats, got ${images.length}`,
      );
    }
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new Error(`ProxyNet.featuresAndProbabilities: batchSize must be a positive integer, got ${batchSize}`);
    const f = this.featureDimension;
    const c = this.classCount;
    const features = new Float32Array(count * f);
    const probabilities = new Float32Array(count * c);
    await this.forEachBatch(images, count, batchSize, async (outputs, start) => {
      const probs = tf.softmax(outputs.logits);
      try {
        const [featureValues, probabilityValues] = await Promise.all([outputs.features.data(), probs.data()]);
        features.set(featureValues as Float32Array, start * f);
        probabilities.set(probabilityValues as Float32Array, start * c);
      } finally {
        probs.dispose();
      }
    });
    return { features, probabilities };
  }

  /** Share of `test` images whose argmax class is their label; also kept as testAccuracy. */
  async accuracy(test: ImageSet, batchSize = DEFAULT_EVAL_BATCH): Promise<number> {
    this.checkAlive('accuracy');
    if (test.count < 1) throw new Error(`ProxyNet.accuracy: ${test.name} has no images`);
    const labels = this.outputLabels(test);
    let correct = 0;
    for (let start = 0; start < test.count; start += batchSize) {
      const size = Math.min(batchSize, test.count - start);
      const indices = Int32Array.from({ length: size }, (_, i) => start + i);
      const images = imagesToUnitFloats(test, indices);
      await this.forEachBatch(images, size, size, async (outputs) => {
        const predicted = tf.argMax(outputs.logits, 1);
        try {
          const values = await predicted.data();
          for (let i = 0; i < size; i++) if (values[i] === labels[start + i]) correct++;
        } finally {
          predicted.dispose();
        }
      });
    }
    this.testAccuracy = correct / test.count;
    return this.testAccuracy;
  }

  /** The net as one buffer in proxy-file.ts's format (encodeProxyFile). */
  async serialize(): Promise<ArrayBuffer> {
    this.checkAlive('serialize');
    const contents = {
      recipe: this.recipe,
      seed: this.seed,
      dataKey: this.dataKey,
      key: this.key,
      classCount: this.classCount,
      classIds: [...this.classIds],
      classNames: this.classNames ? [...this.classNames] : null,
      accuracy: this.testAccuracy,
    };
    const tensors: ProxyFileTensor[] = [];
    for (const { name, variable } of this.namedVariables)
      tensors.push({ name, shape: variable.shape, values: await variable.data() });
    return encodeProxyFile(contents, tensors);
  }

  /** Reads serialize()'s format; a truncated, foreign or inconsistent buffer is an error saying which. */
  static deserialize(data: ArrayBuffer | Uint8Array): ProxyNet {
    const what = 'ProxyNet.deserialize';
    const { header, weights } = decodeProxyFile(data, what);
    const net = new ProxyNet(header.recipe, header.classCount, header.seed, {
      classIds: header.classIds,
      classNames: header.classNames ?? undefined,
      dataKey: header.dataKey ?? undefined,
    });
    try {
      const named = net.namedVariables;
      checkProxyFileTensors(
        header,
        named.map(({ name, variable }) => ({ name, shape: variable.shape })),
        what,
      );
      named.forEach(({ variable }, i) => {
        tf.tidy(() => variable.assign(tf.tensor(weights[i], variable.shape)));
      });
    } catch (error) {
      net.dispose();
      throw error;
    }
    net.testAccuracy = typeof header.accuracy === 'number' ? header.accuracy : null;
    return net;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.variables) v.dispose();
  }
}
