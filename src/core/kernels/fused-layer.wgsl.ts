/**
 * WGSL bodies of the fused layer's backward programs (fused-layer-webgpu.ts wraps them). Strings,
 * not .wgsl files, so Node (tsx, vitest) loads them without Vite.
 *
 * tfjs-backend-webgpu prepends the bindings (`result`, one array per input name, `uniforms` with
 * `size` = output length and the program's own fields) and helpers (`setOutputAtIndex`, `localId`),
 * and appends the entry point, which calls `main(globalIndex)`.
 */

/** Threads per workgroup of the elementwise activation gradient. */
export const ACTIVATION_GRADIENT_WORKGROUP_SIZE = 64;

/** Input names shared with the program classes. */
export const UPSTREAM_GRADIENT = 'dy';
export const ACTIVATION_OUTPUT = 'y';

/**
 * dyAct = dy * (y > 0 ? 1 : alpha), one thread per element. y is the layer's output after the
 * activation; for leaky ReLU with alpha > 0 and for ReLU, y > 0 exactly where the pre-activation is
 * > 0, which is the mask tfjs's LeakyRelu and Relu gradients use (x > 0). ReLU passes alpha = 0.
 * `select(f, t, cond)` and `alpha * g` are the same f32 operations as tfjs's where(mask, dy, dy *
 * alpha), so the result matches the unfused gradient bit for bit.
 */
export const ACTIVATION_GRADIENT_WGSL = /* wgsl */ `
fn main(index : i32) {
  if (index < uniforms.size) {
    let g = ${UPSTREAM_GRADIENT}[index];
    setOutputAtIndex(index, select(uniforms.alpha * g, g, ${ACTIVATION_OUTPUT}[index] > 0.0));
  }
}
`;

/** Threads per bias-reduction workgroup: 256 from this many rows on, 64 below (as tfjs's reduce). */
export const BIAS_GRADIENT_WIDE_ROWS = 4096;

/** Threads per workgroup of the bias reduction for `rows` rows; a power of two (the tree halves it). */
export const biasGradientWorkgroupSize = (rows: number): number => (rows >= BIAS_GRADIENT_WIDE_ROWS ? 256 : 64);

/**
 * dbias[c] = sum over rows r of dy[r * channels + c]: dy is [rows, channels] row-major (a conv's
 * [N, H, W, C] or a dense layer's [batch, C]). One workgroup of `wg` threads per channel
 * (uniforms.size channels): each thread sums every wg-th row, then a tree reduction in shared
 * memory. The barriers sit outside every branch (uniform control flow); the channel index is the same
 * for the whole workgroup.
 */
export function biasGradientWgsl(wg: number): string {
  return /* wgsl */ `
var<workgroup> partialSums : array<f32, ${wg}>;

fn main(index : i32) {
  let channels = uniforms.size;
  let channel = index / ${wg};
  var sum = 0.0;
  if (channel < channels) {
    for (var row = i32(localId.x); row < uniforms.rows; row = row + ${wg}) {
      sum = sum + ${UPSTREAM_GRADIENT}[row * channels + channel];
    }
  }
  partialSums[localId.x] = sum;
  workgroupBarrier();
  for (var stride = ${wg / 2}u; stride > 0u; stride = stride / 2u) {
    if (localId.x < stride) {
      partialSums[localId.x] = partialSums[localId.x] + partialSums[localId.x + stride];
    }
    workgroupBarrier();
  }
  if (localId.x == 0u && channel < channels) {
    setOutputAtIndex(channel, partialSums[0]);
  }
}
`;
}
