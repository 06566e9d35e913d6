// Images as the proxy net's input: byte images of an ImageSet turned into NHWC floats in [-1, 1], the
// range the generator produces and the batch sampler feeds the discriminator.
import { IMAGE_BYTES, IMAGE_SIZE, type ImageSet } from '../data/types';

/** Byte images -> floats in [-1, 1] (the batch sampler's mapping x / 127.5 - 1). */
const BYTE_TO_UNIT = (() => {
  const table = new Float32Array(256);
  for (let value = 0; value < 256; value++) table[value] = value / 127.5 - 1;
  return table;
})();

/**
 * Images of `set` (all, or those at `indices`) as NHWC floats in [-1, 1]; with `flip[i]` true, image i
 * is mirrored left-right.
 */
export function imagesToUnitFloats(
  set: ImageSet,
  indices?: ArrayLike<number>,
  flip?: ArrayLike<boolean>,
  out?: Float32Array,
): Float32Array {
  const count = indices ? indices.length : set.count;
  const result = out ?? new Float32Array(count * IMAGE_BYTES);
  if (result.length < count * IMAGE_BYTES)
    throw new Error(
      `imagesToUnitFloats: output holds ${result.length} floats, ${count} images need ${count * IMAGE_BYTES}`,
    );
  const rowBytes = IMAGE_SIZE * 3;
  for (let i = 0; i < count; i++) {
    const index = indices ? indices[i] : i;
    if (!(index >= 0 && index < set.count))
      throw new RangeError(`imagesToUnitFloats: index ${index} is outside 0..${set.count - 1}`);
    const source = index * IMAGE_BYTES;
    const target = i * IMAGE_BYTES;
    if (flip && flip[i]) {
      for (let row = 0; row < IMAGE_SIZE; row++) {
        const rowStart = row * rowBytes;
        for (let col = 0; col < IMAGE_SIZE; col++) {
          const from = source + rowStart + (IMAGE_SIZE - 1 - col) * 3;
          const to = target + rowStart + col * 3;
          result[to] = BYTE_TO_UNIT[set.pixels[from]];
          result[to + 1] = BYTE_TO_UNIT[set.pixels[from + 1]];
          result[to + 2] = BYTE_TO_UNIT[set.pixels[from + 2]];
        }
      }
    } else {
      for (let k = 0; k < IMAGE_BYTES; k++) result[target + k] = BYTE_TO_UNIT[set.pixels[source + k]];
    }
  }
  return result;
}
