// The proxy net's training loop (ProxyNet.trainEpochs): seeded epochs of Adam on softmax
// cross-entropy, kept apart from the net's layers, forward pass and file format.
import * as tf from '@tensorflow/tfjs';
import { deriveSeed, SeededRandom } from '../data/seeded-random';
import { IMAGE_BYTES, IMAGE_SIZE, type ImageSet } from '../data/types';
import { imagesToUnitFloats } from './proxy-images';
import type { ProxyNet } from './proxy-net';

export interface ProxyTrainProgress {
  /** 0-based epoch of the step just done. */
  epoch: number;
  /** Steps done so far in all epochs (1-based). */
  step: number;
  /** Steps in all epochs of this call. */
  steps: number;
  /** Mean cross-entropy of the steps since the previous report. */
  loss: number;
  /** Seconds since the call began. */
  seconds: number;
}

export interface ProxyTrainOptions {
  onProgress?: (progress: ProxyTrainProgress) => void;
  /** Polled before every step; true ends training early (the weights stay as they are). */
  shouldStop?: () => boolean;
  /** Steps between yields (and progress reports / loss read-backs); default 4. */
  yieldEvery?: number;
  /** Awaited every `yieldEvery` steps so a worker's message loop runs; default setTimeout 0. */
  yieldToEvents?: () => Promise<void>;
  /** Epochs to train in this call (default recipe.epochs). */
  epochs?: number;
}

export interface ProxyTrainResult {
  /** Epochs completed (a stopped epoch is not counted). */
  epochs: number;
  steps: number;
  seconds: number;
  /** Mean loss of the last reported steps (NaN when no step ran). */
  loss: number;
  stopped: boolean;
}

/** What training reads of a net: its recipe and seed, its forward pass and its weights. */
export type TrainableProxy = Pick<ProxyNet, 'recipe' | 'seed' | 'classCount' | 'forward' | 'variables'>;

/**
 * Trains `epochs` (default recipe.epochs) epochs of Adam on softmax cross-entropy. Each epoch is a
 * seeded shuffle of `train` cut into floor(count / batch) full batches; with augmentation 'flip'
 * each image is mirrored with probability 1/2 (seeded). A fresh Adam per call (its moments are
 * freed at the end, so tensors do not pile up); every `yieldEvery` steps the mean loss is read
 * back, reported and `yieldToEvents` awaited. `labelsOf` gives each image's output index (called
 * once the options are checked, so their errors come first).
 */
export async function trainProxyEpochs(
  net: TrainableProxy,
  train: ImageSet,
  labelsOf: () => Int32Array,
  options: ProxyTrainOptions = {},
): Promise<ProxyTrainResult> {
  const epochs = options.epochs ?? net.recipe.epochs;
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new Error(`ProxyNet.trainEpochs: epochs must be a non-negative integer, got ${epochs}`);
  const yieldEvery = options.yieldEvery ?? 4;
  if (!Number.isInteger(yieldEvery) || yieldEvery < 1)
    throw new Error(`ProxyNet.trainEpochs: yieldEvery must be a positive integer, got ${yieldEvery}`);
  if (train.count < 1) throw new Error(`ProxyNet.trainEpochs: ${train.name} has no images`);
  const yieldToEvents = options.yieldToEvents ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  const labels = labelsOf();

  const batch = Math.min(net.recipe.batchSize, train.count);
  const stepsPerEpoch = Math.floor(train.count / batch);
  const steps = stepsPerEpoch * epochs;
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;

  const optimizer = tf.train.adam(net.recipe.learningRate, net.recipe.beta1, net.recipe.beta2);
  const batchImages = new Float32Array(batch * IMAGE_BYTES);
  const batchLabels = new Int32Array(batch);
  const flips = new Array<boolean>(batch).fill(false);
  const indices = new Int32Array(batch);
  let lossSum: tf.Scalar | null = null;
  let lossCount = 0;
  let lastLoss = Number.NaN;
  let step = 0;
  let epochsDone = 0;
  let stopped = false;

  const report = async (epoch: number): Promise<void> => {
    if (lossSum !== null && lossCount > 0) {
      lastLoss = (await lossSum.data())[0] / lossCount;
      lossSum.dispose();
      lossSum = null;
      lossCount = 0;
    }
    options.onProgress?.({ epoch, step, steps, loss: lastLoss, seconds: seconds() });
  };

  try {
    for (let epoch = 0; epoch < epochs && !stopped; epoch++) {
      const order = new Int32Array(train.count);
      for (let i = 0; i < order.length; i++) order[i] = i;
      new SeededRandom(deriveSeed(net.seed, 1000 + epoch)).shuffle(order);
      const flipRandom = new SeededRandom(deriveSeed(net.seed, 5000 + epoch));
      for (let s = 0; s < stepsPerEpoch; s++) {
        if (options.shouldStop?.()) {
          stopped = true;
          break;
        }
        for (let i = 0; i < batch; i++) {
          indices[i] = order[s * batch + i];
          batchLabels[i] = labels[indices[i]];
          flips[i] = net.recipe.augmentation === 'flip' && flipRandom.next() < 0.5;
        }
        imagesToUnitFloats(train, indices, flips, batchImages);
        const stepLoss = tf.tidy(() => {
          const x = tf.tensor4d(batchImages, [batch, IMAGE_SIZE, IMAGE_SIZE, 3]);
          const y = tf.oneHot(tf.tensor1d(batchLabels, 'int32'), net.classCount);
          const loss = optimizer.minimize(
            () => tf.losses.softmaxCrossEntropy(y, net.forward(x).logits) as tf.Scalar,
            true,
            net.variables,
          );
          if (loss === null) throw new Error('ProxyNet.trainEpochs: the optimizer returned no loss');
          return loss;
        });
        const previous: tf.Scalar | null = lossSum;
        if (previous === null) {
          lossSum = stepLoss;
        } else {
          lossSum = tf.add(previous, stepLoss) as tf.Scalar;
          previous.dispose();
          stepLoss.dispose();
        }
        lossCount++;
        step++;
        if (step % yieldEvery === 0 || s === stepsPerEpoch - 1) {
          await report(epoch);
          await yieldToEvents();
        }
      }
      if (!stopped) epochsDone++;
    }
    if (lossCount > 0) await report(Math.max(0, epochsDone - (stopped ? 0 : 1)));
  } finally {
    if (lossSum !== null) (lossSum as tf.Scalar).dispose();
    optimizer.dispose();
  }
  return { epochs: epochsDone, steps: step, seconds: seconds(), loss: lastLoss, stopped };
}
