/**
 * WGSL bodies of BSSN's two power iterations (bssn-power-iteration-webgpu.ts wraps them), as
 * TypeScript strings so Node loads them without Vite.
 *
 * The weight is bound once, as the row-major blocks view W[p, ci, co] of shape [P, cin, cout]
 * (P = kh*kw; a free reshape of the tfjs kernel [kh, kw, cin, cout]). Both matrices are read from
 * that one buffer, neither transpose is ever materialized:
 *   A1 = [P*cin, cout],  A1[p*cin + ci, co] = W[p, ci, co]  (SN's matrix; the paper's c_out x c_in*kh*kw)
 *   B  = [P*cout, cin],  B[p*cout + co, ci] = W[p, ci, co]  (the paper's c_in x c_out*kh*kw, transposed)
 * Vectors travel packed, so that one dispatch advances both iterations:
 *   u = [u1 (cout); u2 (cin)],  y/v = [y1 (P*cin); y2 (P*cout)],  z = [z1 (cout); z2 (cin)].
 *
 * tfjs prepends the bindings (`result`, one array per input name, `uniforms` with `<input>Shape`,
 * `size` and the program's own fields) and helpers (`setOutputAtIndex`, `localId`), and appends the
 * entry point that calls `main(globalIndex)`. The pipelines use layout 'auto', so every program must
 * read every input it declares.
 *
 * Width 4 reads W as vec4 (four neighbouring co at a time; needs cout % 4 == 0), as the SN kernel
 * does; width 1 serves the rest. Packed vectors are always read as f32 (their halves need not be
 * multiples of four long).
 */

/** Threads per workgroup of every program here; a power of two (the tree reduction halves it). */
export const BSSN_WORKGROUP_SIZE = 64;

export const WEIGHT_BLOCKS = 'weightBlocks';
export const INPUT_VECTOR = 'inputVector';
export const NORMALIZED_U = 'normalizedU';
export const NORMALIZED_V = 'normalizedV';

export type VectorWidth = 1 | 4;

const WG = BSSN_WORKGROUP_SIZE;

/**
 * (|inputVector[0, split)|, |inputVector[split, end)|) computed by the whole workgroup in one tree
 * reduction of vec2 partial sums. Each workgroup recomputes it instead of a separate dispatch: the
 * vector is one row's or column's worth of data. Contains barriers: call it in uniform control flow,
 * before any bounds check.
 */
const SEGMENT_NORMS_WGSL = /* wgsl */ `
var<workgroup> partialSums : array<vec2<f32>, ${WG}>;

fn segmentNorms(split : i32) -> vec2<f32> {
  var sums = vec2<f32>(0.0);
  for (var i = i32(localId.x); i < uniforms.inputVectorShape; i = i + ${WG}) {
    let x = inputVector[i];
    if (i < split) {
      sums.x = sums.x + x * x;
    } else {
      sums.y = sums.y + x * x;
    }
  }
  partialSums[localId.x] = sums;
  workgroupBarrier();
  for (var stride = ${WG / 2}u; stride > 0u; stride = stride / 2u) {
    if (localId.x < stride) {
      partialSums[localId.x] = partialSums[localId.x] + partialSums[localId.x + stride];
    }
    workgroupBarrier();
  }
  return sqrt(partialSums[0]);
}
`;

/** Width-dependent snippets: an accumulator's zero, its total, four packed floats as one operand. */
function widthSnippets(width: VectorWidth): {
  zero: string;
  total: (x: string) => string;
  packed: (start: string) => string;
} {
  return width === 4
    ? {
        zero: 'vec4<f32>(0.0)',
        total: (x) => `(${x}.x + ${x}.y + ${x}.z + ${x}.w)`,
        packed: (s) =>
          `vec4<f32>(inputVector[${s}], inputVector[${s} + 1], inputVector[${s} + 2], inputVector[${s} + 3])`,
      }
    : { zero: '0.0', total: (x) => x, packed: (s) => `inputVector[${s}]` };
}

/** Stores the `width` components of `value` (times `scale`) at out, out + 1, ... */
function storeWidth(width: VectorWidth, out: string, value: string, scale: string): string {
  if (width === 1) return `setOutputAtIndex(${out}, ${value} * ${scale});`;
  return [0, 1, 2, 3].map((k) => `setOutputAtIndex(${out} + ${k}, ${value}[${k}] * ${scale});`).join('\n      ');
}

/**
 * y = [A1 u1; B u2], input z packed as [cout; cin]; each half divided by its own norm when
 * normalizeInput is 1 (folds the previous iteration's u = norm(z) in, as the SN kernel does).
 * Threads: P*cin (one per row of A1, reading that row contiguously) then P*cout/width (one per
 * `width` neighbouring co of one block p: y2[p*cout + co] = sum_ci W[p, ci, co] u2[ci]; neighbouring
 * threads read neighbouring addresses).
 */
function rowsWgsl(width: VectorWidth): string {
  const s = widthSnippets(width);
  return /* wgsl */ `
${SEGMENT_NORMS_WGSL}

fn main(index : i32) {
  let cin = uniforms.weightBlocksShape.y;
  let cout = uniforms.weightBlocksShape.z;
  var scales = vec2<f32>(1.0);
  if (uniforms.normalizeInput != 0) {
    scales = 1.0 / max(segmentNorms(cout), vec2<f32>(uniforms.eps));
  }
  let firstRows = uniforms.weightBlocksShape.x * cin;
  let groups = cout / ${width};
  if (index < firstRows) {
    let rowStart = index * groups;
    var dots = ${s.zero};
    for (var j = 0; j < groups; j = j + 1) {
      dots = dots + weightBlocks[rowStart + j] * ${s.packed(`j * ${width}`)};
    }
    setOutputAtIndex(index, ${s.total('dots')} * scales.x);
  } else if (index < firstRows + uniforms.weightBlocksShape.x * groups) {
    let t = index - firstRows;
    let p = t / groups;
    let g = t - p * groups;
    var dots = ${s.zero};
    for (var ci = 0; ci < cin; ci = ci + 1) {
      dots = dots + weightBlocks[(p * cin + ci) * groups + g] * inputVector[cout + ci];
    }
    let out = firstRows + p * cout + g * ${width};
    ${storeWidth(width, 'out', 'dots', 'scales.y')}
  }
}
`;
}

/**
 * z = [A1^T v1; B^T v2] with v = y / |y| per half (input y packed as [P*cin; P*cout]).
 * Threads: cout/width (z1 for `width` neighbouring co: a walk down the P*cin rows, coalesced) then
 * cin (z2[ci] = sum_p sum_co W[p, ci, co] y2[p*cout + co]: P contiguous rows of cout each).
 */
function columnsWgsl(width: VectorWidth): string {
  const s = widthSnippets(width);
  return /* wgsl */ `
${SEGMENT_NORMS_WGSL}

fn main(index : i32) {
  let blocks = uniforms.weightBlocksShape.x;
  let cin = uniforms.weightBlocksShape.y;
  let cout = uniforms.weightBlocksShape.z;
  let firstRows = blocks * cin;
  let scales = 1.0 / max(segmentNorms(firstRows), vec2<f32>(uniforms.eps));
  let groups = cout / ${width};
  if (index < groups) {
    var dots = ${s.zero};
    for (var r = 0; r < firstRows; r = r + 1) {
      dots = dots + weightBlocks[r * groups + index] * inputVector[r];
    }
    let out = index * ${width};
    ${storeWidth(width, 'out', 'dots', 'scales.x')}
  } else if (index < groups + cin) {
    let ci = index - groups;
    var dots = ${s.zero};
    for (var p = 0; p < blocks; p = p + 1) {
      let rowStart = (p * cin + ci) * groups;
      let yStart = firstRows + p * cout;
      for (var j = 0; j < groups; j = j + 1) {
        dots = dots + weightBlocks[rowStart + j] * ${s.packed(`yStart + j * ${width}`)};
      }
    }
    setOutputAtIndex(cout + ci, ${s.total('dots')} * scales.y);
  }
}
`;
}

export const ROWS_WGSL: Record<VectorWidth, string> = { 1: rowsWgsl(1), 4: rowsWgsl(4) };
export const COLUMNS_WGSL: Record<VectorWidth, string> = { 1: columnsWgsl(1), 4: columnsWgsl(4) };

/** out = x / max(|half|, eps), each half by its own norm; one workgroup striding over the vector. */
export const NORMALIZE_HALVES_WGSL = /* wgsl */ `
${SEGMENT_NORMS_WGSL}

fn main(index : i32) {
  let scales = 1.0 / max(segmentNorms(uniforms.split), vec2<f32>(uniforms.eps));
  for (var i = index; i < uniforms.size; i = i + ${WG}) {
    setOutputAtIndex(i, inputVector[i] * select(scales.y, scales.x, i < uniforms.split));
  }
}
`;

/**
 * [sigma1, sigma2] = [|z1|, |z2|] (= v^T A u' for each matrix), written as |z| * (|z| / max(|z|, eps))
 * as the SN kernel does. One workgroup.
 */
export const SIGMAS_WGSL = /* wgsl */ `
${SEGMENT_NORMS_WGSL}

fn main(index : i32) {
  let norms = segmentNorms(uniforms.split);
  if (index == 0) {
    setOutputAtIndex(0, norms.x * (norms.x / max(norms.x, uniforms.eps)));
    setOutputAtIndex(1, norms.y * (norms.y / max(norms.y, uniforms.eps)));
  }
}
`;

/**
 * d((sigma1 + sigma2) / 2) / dW[p, ci, co] = (v1[p*cin + ci] u1[co] + v2[p*cout + co] u2[ci]) / 2,
 * one thread per weight element; the outer products v1 u1^T and B's v2 u2^T read back in W's layout.
 */
export const MEAN_SIGMA_GRADIENT_WGSL = /* wgsl */ `
fn main(index : i32) {
  if (index < uniforms.size) {
    let cin = uniforms.cin;
    let cout = uniforms.cout;
    let row = index / cout;
    let co = index - row * cout;
    let p = row / cin;
    let ci = row - p * cin;
    let firstRows = (uniforms.size / cout);
    let first = normalizedV[row] * normalizedU[co];
    let second = normalizedV[firstRows + p * cout + co] * normalizedU[cout + ci];
    setOutputAtIndex(index, 0.5 * (first + second));
  }
}
`;
