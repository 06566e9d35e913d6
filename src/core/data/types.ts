// What every data source produces: images (built-in shapes, CIFAR-10 files) or 2-D points (the toy
// mixtures ring8 and grid25). The shape of one sample travels with the data set, so the batch
// sampler, the generator's output layer and the discriminator's input layer all follow it.

import type { ToyModeSet } from './toy-modes';
import { shapeSize } from '../numbers';

export const IMAGE_SIZE = 32;
export const IMAGE_CHANNELS = 3;
export const IMAGE_BYTES = IMAGE_SIZE * IMAGE_SIZE * IMAGE_CHANNELS; // 3072

/** The shape of one sample, without the batch axis: [32, 32, 3] (NHWC image) or [2] (a point). */
export type SampleShape = readonly number[];
export const IMAGE_SHAPE: SampleShape = [IMAGE_SIZE, IMAGE_SIZE, IMAGE_CHANNELS];
export const POINT_DIMENSIONS = 2;
export const POINT_SHAPE: SampleShape = [POINT_DIMENSIONS];

export interface ImageSet {
  /** Human-readable origin, e.g. "shapes (seed 1)" or "CIFAR-10 data_batch_1.bin". */
  name: string;
  count: number;
  /** count x 32 x 32 x 3 bytes, NHWC (tfjs layout), RGB 0-255. Converted to [-1, 1] per batch. */
  pixels: Uint8Array;
  /** count class ids 0-9. */
  labels: Uint8Array;
  /** Class names in label order. */
  classNames: string[];
}

/** A fixed pool of 2-D points drawn from a mixture of Gaussians (see toy-dataset.ts). */
export interface PointSet {
  kind: 'points';
  /** Human-readable origin, e.g. "ring8: 8 Gaussians on a circle of radius 2, std 0.02". */
  name: string;
  count: number;
  /** count x 2 floats (x, y), used as they are (no rescaling). */
  points: Float32Array;
  /** One name per mode, e.g. "(2, 0)", in the mixture's order. */
  classNames: string[];
  /** The mixture the pool was drawn from: mode centres and their std. */
  mixture: ToyModeSet;
}

/** Whatever the trainer learns from. */
export type TrainingSet = ImageSet | PointSet;

export function isPointSet(set: TrainingSet): set is PointSet {
  return 'kind' in set && set.kind === 'points';
}

export function sampleShapeOf(set: TrainingSet): SampleShape {
  return isPointSet(set) ? POINT_SHAPE : IMAGE_SHAPE;
}

/** Floats in one sample of that shape (3072 for an image, 2 for a point). */
export function sampleSize(shape: SampleShape): number {
  return shapeSize(shape);
}

/** True for the 32x32x3 image shape the conv architectures are built for. */
export function isImageShape(shape: SampleShape): boolean {
  return shape.length === IMAGE_SHAPE.length && shape.every((n, i) => n === IMAGE_SHAPE[i]);
}
