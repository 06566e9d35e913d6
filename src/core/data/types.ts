// What every data source (built-in shapes, CIFAR-10 files) produces.

export const IMAGE_SIZE = 32;
export const IMAGE_CHANNELS = 3;
export const IMAGE_BYTES = IMAGE_SIZE * IMAGE_SIZE * IMAGE_CHANNELS; // 3072

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
