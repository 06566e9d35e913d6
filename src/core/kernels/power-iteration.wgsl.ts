/**
 * WGSL bodies of the spectral-norm power-iteration programs (power-iteration-webgpu.ts wraps them).
 * They are TypeScript strings rather than .wgsl files so that Node (tsx, vitest) loads them without
 * Vite's `?raw`.
 *
 * tfjs-backend-webgpu prepends the bindings and helpers these bodies use: `result` (the output),
 * one read-only array per input name, `uniforms` (with `<input>Shape`, `size` and the program's own
 * fields), `setOutputAtIndex`, and the `localId` builtin. It appends the entry point, which calls
 * `main(globalIndex)`.
 *
 * Names shared with the program classes: the inputs are `weightMatrix` (A, row-major [K, cout]) and
 * `inputVector`; the program-defined uniforms are `eps` and, for the row product, `normalizeInput`.
 */

/**
 * Threads per workgroup of every program here. A power of two (the tree reduction halves it). It is
 * baked into the WGSL, and tfjs puts the program's workgroupSize into the pipeline cache key, so the
 * cache stays correct if it ever changes.
 */
export const POWER_ITERATION_WORKGROUP_SIZE = 64;

export const WEIGHT_MATRIX = 'weightMatrix';
export const INPUT_VECTOR = 'inputVector';

const WG = POWER_ITERATION_WORKGROUP_SIZE;

/**
 * |inputVector|, computed by the whole workgroup together. Each workgroup recomputes it instead of a
 * separate dispatch writing it once: the vector is as long as one row or column of A, so this costs
 * each workgroup 1/WG of its matrix reads and saves a dispatch and an intermediate buffer.
 * Contains barriers, so every thread must call it in uniform control flow, before any bounds check.
 */
const INPUT_VECTOR_NORM_WGSL = /* wgsl */ `
var<workgroup> partialSumsOfSquares : array<f32, ${WG}>;

fn inputVectorNorm() -> f32 {
  let vectorLength = uniforms.inputVectorShape;
  var sumOfSquares = 0.0;
  for (var i = i32(localId.x); i < vectorLength; i = i + ${WG}) {
    let x = inputVector[i];
    sumOfSquares = sumOfSquares + x * x;
  }
  partialSumsOfSquares[localId.x] = sumOfSquares;
  workgroupBarrier();
  for (var stride = ${WG / 2}u; stride > 0u; stride = stride / 2u) {
    if (localId.x < stride) {
      partialSumsOfSquares[localId.x] = partialSumsOfSquares[localId.x] + partialSumsOfSquares[localId.x + stride];
    }
    workgroupBarrier();
  }
  return sqrt(partialSumsOfSquares[0]);
}
`;

/**
 * y = A x, one thread per row of A (K threads); x is divided by max(|x|, eps) when normalizeInput
 * is 1. That folds "u = norm(z)" of the previous iteration into this product, so an iteration is
 * two dispatches. The first iteration passes 0 and uses the caller's u exactly as given.
 */
export const MATRIX_TIMES_VECTOR_WGSL = /* wgsl */ `
${INPUT_VECTOR_NORM_WGSL}

fn main(index : i32) {
  var inputScale = 1.0;
  if (uniforms.normalizeInput != 0) {
    inputScale = 1.0 / max(inputVectorNorm(), uniforms.eps);
  }
  if (index < uniforms.size) {
    let columns = uniforms.weightMatrixShape.y;
    let rowStart = index * columns;
    var dotProduct = 0.0;
    for (var j = 0; j < columns; j = j + 1) {
      dotProduct = dotProduct + weightMatrix[rowStart + j] * inputVector[j];
    }
    setOutputAtIndex(index, dotProduct * inputScale);
  }
}
`;

/**
 * z = A^T (y / max(|y|, eps)) = A^T v, one thread per column of A (cout threads). Neighbouring
 * threads read neighbouring addresses of each row, so the reads coalesce on a real GPU.
 */
export const MATRIX_TRANSPOSED_TIMES_VECTOR_WGSL = /* wgsl */ `
${INPUT_VECTOR_NORM_WGSL}

fn main(index : i32) {
  let inputScale = 1.0 / max(inputVectorNorm(), uniforms.eps);
  if (index < uniforms.size) {
    let rows = uniforms.weightMatrixShape.x;
    let columns = uniforms.weightMatrixShape.y;
    var dotProduct = 0.0;
    for (var k = 0; k < rows; k = k + 1) {
      dotProduct = dotProduct + weightMatrix[k * columns + index] * inputVector[k];
    }
    setOutputAtIndex(index, dotProduct * inputScale);
  }
}
`;

/** out = x / max(|x|, eps): the final u' (from z) and v (from y). */
export const NORMALIZE_WGSL = /* wgsl */ `
${INPUT_VECTOR_NORM_WGSL}

fn main(index : i32) {
  let inputScale = 1.0 / max(inputVectorNorm(), uniforms.eps);
  if (index < uniforms.size) {
    setOutputAtIndex(index, inputVector[index] * inputScale);
  }
}
`;

/**
 * sigma = v^T A u' with u' = z / max(|z|, eps) and z = A^T v, i.e. |z|^2 / max(|z|, eps); written as
 * |z| * (|z| / max(|z|, eps)) so it is exactly |z| whenever |z| >= eps. One workgroup, one output.
 */
export const SIGMA_WGSL = /* wgsl */ `
${INPUT_VECTOR_NORM_WGSL}

fn main(index : i32) {
  let zNorm = inputVectorNorm();
  if (index == 0) {
    setOutputAtIndex(0, zNorm * (zNorm / max(zNorm, uniforms.eps)));
  }
}
`;
