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
 *
 * The matrix products come in two widths. Width 4 reads A as vec4 (four neighbouring columns at a
 * time; needs cout % 4 == 0, true of nearly every layer): measured 2-5x faster than width 1 on
 * SwiftShader, and 16-byte loads suit real GPUs too. Width 1 serves the rest (cout = 1, 3, ...).
 * The width changes the bindings' element types, which tfjs leaves out of its pipeline cache key,
 * so the program classes put it into shaderKey.
 */

/**
 * Threads per workgroup of every program here. A power of two (the tree reduction halves it). It is
 * baked into the WGSL, and tfjs puts the program's workgroupSize into the pipeline cache key, so the
 * cache stays correct if it ever changes.
 */
export const POWER_ITERATION_WORKGROUP_SIZE = 64;

export const WEIGHT_MATRIX = 'weightMatrix';
export const INPUT_VECTOR = 'inputVector';

/** Columns of A handled per load: 1 (f32) or 4 (vec4<f32>). */
export type VectorWidth = 1 | 4;

const WG = POWER_ITERATION_WORKGROUP_SIZE;

/**
 * |inputVector|, computed by the whole workgroup together. Each workgroup recomputes it instead of a
 * separate dispatch writing it once: the vector is as long as one row or column of A, so this costs
 * each workgroup 1/WG of its matrix reads and saves a dispatch and an intermediate buffer.
 * Contains barriers, so every thread must call it in uniform control flow, before any bounds check.
 * `inputWidth` is the element type of inputVector's binding (vec4 when the product reads u as vec4).
 */
function inputVectorNormWgsl(inputWidth: VectorWidth): string {
  return /* wgsl */ `
var<workgroup> partialSumsOfSquares : array<f32, ${WG}>;

fn inputVectorNorm() -> f32 {
  let elements = uniforms.inputVectorShape / ${inputWidth};
  var sumOfSquares = 0.0;
  for (var i = i32(localId.x); i < elements; i = i + ${WG}) {
    let x = inputVector[i];
    sumOfSquares = sumOfSquares + ${inputWidth === 4 ? 'dot(x, x)' : 'x * x'};
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
}

/**
 * y = A x, one thread per row of A (K threads); x is divided by max(|x|, eps) when normalizeInput
 * is 1. That folds "u = norm(z)" of the previous iteration into this product, so an iteration is
 * two dispatches. The first iteration passes 0 and uses the caller's u exactly as given.
 * Width 4: A and x are both read as vec4 (x has cout entries, like a row).
 */
function matrixTimesVectorWgsl(width: VectorWidth): string {
  const zero = width === 4 ? 'vec4<f32>(0.0)' : '0.0';
  const total = width === 4 ? 'partialDots.x + partialDots.y + partialDots.z + partialDots.w' : 'partialDots';
  return /* wgsl */ `
${inputVectorNormWgsl(width)}

fn main(index : i32) {
  var inputScale = 1.0;
  if (uniforms.normalizeInput != 0) {
    inputScale = 1.0 / max(inputVectorNorm(), uniforms.eps);
  }
  if (index < uniforms.size) {
    let rowElements = uniforms.weightMatrixShape.y / ${width};
    let rowStart = index * rowElements;
    var partialDots = ${zero};
    for (var j = 0; j < rowElements; j = j + 1) {
      partialDots = partialDots + weightMatrix[rowStart + j] * inputVector[j];
    }
    setOutputAtIndex(index, (${total}) * inputScale);
  }
}
`;
}

/**
 * z = A^T (y / max(|y|, eps)) = A^T v, one thread per `width` neighbouring columns of A (cout / width
 * threads). Neighbouring threads read neighbouring addresses of each row, so reads coalesce on a
 * real GPU. y (length K) is always read as f32.
 */
function matrixTransposedTimesVectorWgsl(width: VectorWidth): string {
  const zero = width === 4 ? 'vec4<f32>(0.0)' : '0.0';
  const store =
    width === 4
      ? `let firstColumn = index * 4;
    setOutputAtIndex(firstColumn, columnDots.x * inputScale);
    setOutputAtIndex(firstColumn + 1, columnDots.y * inputScale);
    setOutputAtIndex(firstColumn + 2, columnDots.z * inputScale);
    setOutputAtIndex(firstColumn + 3, columnDots.w * inputScale);`
      : 'setOutputAtIndex(index, columnDots * inputScale);';
  return /* wgsl */ `
${inputVectorNormWgsl(1)}

fn main(index : i32) {
  let inputScale = 1.0 / max(inputVectorNorm(), uniforms.eps);
  let rowElements = uniforms.weightMatrixShape.y / ${width};
  if (index < rowElements) {
    let rows = uniforms.weightMatrixShape.x;
    var columnDots = ${zero};
    for (var k = 0; k < rows; k = k + 1) {
      columnDots = columnDots + weightMatrix[k * rowElements + index] * inputVector[k];
    }
    ${store}
  }
}
`;
}

export const MATRIX_TIMES_VECTOR_WGSL: Record<VectorWidth, string> = {
  1: matrixTimesVectorWgsl(1),
  4: matrixTimesVectorWgsl(4),
};

export const MATRIX_TRANSPOSED_TIMES_VECTOR_WGSL: Record<VectorWidth, string> = {
  1: matrixTransposedTimesVectorWgsl(1),
  4: matrixTransposedTimesVectorWgsl(4),
};

/**
 * out = x / max(|x|, eps): the final u' (from z) and v (from y). A single workgroup, each thread
 * writing every WG-th entry: with one workgroup per WG entries instead, every workgroup would
 * recompute |x| and the reads would grow as length^2 / WG (measured: 23 ms for K = 8192 on
 * SwiftShader, more than the matrix product itself).
 */
export const NORMALIZE_WGSL = /* wgsl */ `
${inputVectorNormWgsl(1)}

fn main(index : i32) {
  let inputScale = 1.0 / max(inputVectorNorm(), uniforms.eps);
  for (var i = index; i < uniforms.size; i = i + ${WG}) {
    setOutputAtIndex(i, inputVector[i] * inputScale);
  }
}
`;

/**
 * sigma = v^T A u' with u' = z / max(|z|, eps) and z = A^T v, i.e. |z|^2 / max(|z|, eps); written as
 * |z| * (|z| / max(|z|, eps)) so it is exactly |z| whenever |z| >= eps. One workgroup, one output.
 */
export const SIGMA_WGSL = /* wgsl */ `
${inputVectorNormWgsl(1)}

fn main(index : i32) {
  let zNorm = inputVectorNorm();
  if (index == 0) {
    setOutputAtIndex(0, zNorm * (zNorm / max(zNorm, uniforms.eps)));
  }
}
`;
