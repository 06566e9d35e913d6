/**
 * WGSL bodies of the parallel Jacobi rounds (jacobi-rotation-webgpu.ts wraps them; the math and its
 * tfjs-ops twin are in jacobi-rotation-ops.ts). TypeScript strings so Node loads them without Vite.
 *
 * The state is the row-major [2n, n] matrix [T; Q]. Both members of a pair read the same
 * upper-triangle entry of T, so they compute bit-identical rotations. Both kernels below compute the
 * rotations with the same function and every entry with the same operations in the same order, so
 * they give the same bits (tested on SwiftShader).
 *
 * - JACOBI_ROUND_WGSL: one round per dispatch, one thread per output entry. Each thread recomputes the
 *   rotation of its row's pair and of its column's pair from three entries of T (cheaper than a
 *   separate dispatch and buffer for the rotations). Uniforms: `n`, `round` (0 .. rounds per sweep - 1).
 * - JACOBI_SWEEPS_WGSL: every round of every sweep in ONE dispatch of ONE workgroup (n <= 128). The
 *   output holds two copies of the state, [copy 0; copy 1] = [4n, n]; each round reads one copy and
 *   writes the other, with barriers between rounds (one workgroup, so storageBarrier orders it all).
 *   The input is first copied into copy (totalRounds % 2), so the last round lands in copy 0.
 *   Per round: threads 0 .. m-1 (m = n_even / 2 pairs) compute the rotations of pair k into workgroup
 *   memory (double-buffered by round parity, so the next round's writes never race this round's
 *   reads); workgroupBarrier; then each thread keeps one column pair (x, y) and strides over the row
 *   pairs (a, b), updating the 2 x 2 block T[{a,b}][{x,y}] from its four entries (one load per entry,
 *   the per-entry kernel needs four), then over the rows of Q (two entries each); storageBarrier.
 *   No thread returns early: every one reaches every barrier. Uniforms: `n`, `roundsPerSweep`,
 *   `totalRounds`.
 * - JACOBI_COPY_WGSL: copy 0 of that buffer out to the [2n, n] result (a flat copy, any n).
 */

import { JACOBI_LARGE_TAU } from './jacobi-rotation-ops';

export const JACOBI_STATE = 'jacobiState';

export const JACOBI_WORKGROUP_SIZE = 64;

/** Threads of the one workgroup that runs whole sweeps (WebGPU guarantees 256 invocations). */
export const JACOBI_SWEEPS_WORKGROUP_SIZE = 256;

/** The largest n the one-workgroup kernel takes: its workgroup arrays hold 2 x n / 2 pairs. */
export const JACOBI_ONE_WORKGROUP_MAX_N = 128;

/**
 * The shared part: the Rotation struct, the partner schedule, the rotation of index i from the three
 * entries of T that `tEntry(base, row, col)` (defined by each kernel) returns.
 */
const ROTATION_WGSL = /* wgsl */ `
struct Rotation {
  partner : i32,
  c : f32,
  // J[partner][i]: +s when i is the larger index of its pair, -s otherwise.
  g : f32,
}

fn jacobiPartner(i : i32, roundIndex : i32, n : i32) -> i32 {
  let last = n + (n & 1) - 1;
  if (i == last) {
    return roundIndex;
  }
  let p = ((2 * roundIndex - i) % last + last) % last;
  return select(p, last, p == i);
}

fn rotationOf(base : i32, i : i32, roundIndex : i32, n : i32) -> Rotation {
  let p = jacobiPartner(i, roundIndex, n);
  if (p >= n) {
    return Rotation(i, 1.0, 0.0);
  }
  let low = min(i, p);
  let high = max(i, p);
  let offDiagonal = tEntry(base, low, high);
  var t = 0.0;
  if (offDiagonal != 0.0) {
    let tau = (tEntry(base, high, high) - tEntry(base, low, low)) / (2.0 * offDiagonal);
    if (abs(tau) > ${JACOBI_LARGE_TAU.toExponential()}) {
      t = 0.5 / tau;
    } else {
      t = select(-1.0, 1.0, tau >= 0.0) / (abs(tau) + sqrt(1.0 + tau * tau));
    }
  }
  let c = 1.0 / sqrt(1.0 + t * t);
  let s = t * c;
  return Rotation(p, c, select(-s, s, i > p));
}
`;

export const JACOBI_ROUND_WGSL = /* wgsl */ `
${ROTATION_WGSL}

// T'[row][col] from the row's and the column's rotations.
fn rotatedT(base : i32, row : i32, col : i32, rr : Rotation, cr : Rotation) -> f32 {
  let inner = cr.c * tEntry(base, row, col) + cr.g * tEntry(base, row, cr.partner);
  let innerPartner = cr.c * tEntry(base, rr.partner, col) + cr.g * tEntry(base, rr.partner, cr.partner);
  return rr.c * inner + rr.g * innerPartner;
}

// Q'[row - n][col] (row >= n): only the column's rotation.
fn rotatedQ(base : i32, row : i32, col : i32, cr : Rotation) -> f32 {
  return cr.c * tEntry(base, row, col) + cr.g * tEntry(base, row, cr.partner);
}

fn tEntry(base : i32, row : i32, col : i32) -> f32 {
  return jacobiState[base + row * uniforms.n + col];
}

fn main(index : i32) {
  if (index < uniforms.size) {
    let n = uniforms.n;
    let row = index / n;
    let col = index - row * n;
    let cr = rotationOf(0, col, uniforms.round, n);
    if (row < n) {
      setOutputAtIndex(index, rotatedT(0, row, col, rotationOf(0, row, uniforms.round, n), cr));
    } else {
      setOutputAtIndex(index, rotatedQ(0, row, col, cr));
    }
  }
}
`;

const MAX_PAIRS = JACOBI_ONE_WORKGROUP_MAX_N / 2;
const THREADS = JACOBI_SWEEPS_WORKGROUP_SIZE;

export const JACOBI_SWEEPS_WGSL = /* wgsl */ `
${ROTATION_WGSL}

// Pair k of a round, (r, last) for k = 0 and (r + k, r - k) mod last otherwise: jacobiPartner's
// schedule pair by pair. An index without a partner (n odd) comes back as (a, a).
fn pairOf(k : i32, roundIndex : i32, n : i32) -> vec2<i32> {
  let last = n + (n & 1) - 1;
  var a = roundIndex;
  var b = last;
  if (k > 0) {
    a = (roundIndex + k) % last;
    b = (roundIndex - k + last) % last;
  }
  return vec2<i32>(a, select(b, a, b >= n));
}

// The current round's pairs at [parity * ${MAX_PAIRS} + k]: indices (a, b), (c_a, c_b), (g_a, g_b).
var<workgroup> pairIndex : array<vec2<i32>, ${2 * MAX_PAIRS}>;
var<workgroup> pairC : array<vec2<f32>, ${2 * MAX_PAIRS}>;
var<workgroup> pairG : array<vec2<f32>, ${2 * MAX_PAIRS}>;

fn tEntry(base : i32, row : i32, col : i32) -> f32 {
  return result[base + row * uniforms.n + col];
}

fn main(index : i32) {
  let n = uniforms.n;
  let entries = 2 * n * n;
  let total = uniforms.totalRounds;
  // The input into copy (total % 2): round k reads copy (total + k) % 2, so round total - 1 writes copy 0.
  let first = (total % 2) * entries;
  for (var e = index; e < entries; e += ${THREADS}) {
    result[first + e] = jacobiState[e];
  }
  storageBarrier();
  // Each thread keeps column pair colPair and strides over row pairs (T) and rows (Q).
  let m = (n + (n & 1)) / 2;
  let stride = ${THREADS} / m;
  let firstItem = index / m;
  let colPair = index - firstItem * m;
  let hasColumn = firstItem < stride;
  for (var k = 0; k < total; k++) {
    let roundIndex = k % uniforms.roundsPerSweep;
    let readBase = ((total + k) % 2) * entries;
    let writeBase = entries - readBase;
    let slot = (k % 2) * ${MAX_PAIRS};
    if (index < m) {
      let pair = pairOf(index, roundIndex, n);
      let ra = rotationOf(readBase, pair.x, roundIndex, n);
      let rb = rotationOf(readBase, pair.y, roundIndex, n);
      pairIndex[slot + index] = pair;
      pairC[slot + index] = vec2<f32>(ra.c, rb.c);
      pairG[slot + index] = vec2<f32>(ra.g, rb.g);
    }
    workgroupBarrier();
    if (hasColumn) {
      let x = pairIndex[slot + colPair].x;
      let y = pairIndex[slot + colPair].y;
      let cc = pairC[slot + colPair];
      let cg = pairG[slot + colPair];
      for (var p = firstItem; p < m; p += stride) {
        // T'[i][j] = c_i u_ij + g_i u_(p_i)j with u_ij = c_j T[i][j] + g_j T[i][p_j] (rotatedT's order).
        let rows = pairIndex[slot + p];
        let rc = pairC[slot + p];
        let rg = pairG[slot + p];
        let a = readBase + rows.x * n;
        let b = readBase + rows.y * n;
        let tax = result[a + x];
        let tay = result[a + y];
        let tbx = result[b + x];
        let tby = result[b + y];
        let uax = cc.x * tax + cg.x * tay;
        let uay = cc.y * tay + cg.y * tax;
        let ubx = cc.x * tbx + cg.x * tby;
        let uby = cc.y * tby + cg.y * tbx;
        let wa = writeBase + rows.x * n;
        let wb = writeBase + rows.y * n;
        result[wa + x] = rc.x * uax + rg.x * ubx;
        if (y != x) {
          result[wa + y] = rc.x * uay + rg.x * uby;
        }
        if (rows.y != rows.x) {
          result[wb + x] = rc.y * ubx + rg.y * uax;
          if (y != x) {
            result[wb + y] = rc.y * uby + rg.y * uay;
          }
        }
      }
      for (var i = firstItem; i < n; i += stride) {
        // Q'[i][j] = c_j Q[i][j] + g_j Q[i][p_j] (rotatedQ's order).
        let q = (n + i) * n;
        let qx = result[readBase + q + x];
        let qy = result[readBase + q + y];
        result[writeBase + q + x] = cc.x * qx + cg.x * qy;
        if (y != x) {
          result[writeBase + q + y] = cc.y * qy + cg.y * qx;
        }
      }
    }
    storageBarrier();
  }
}
`;

export const JACOBI_COPY_WGSL = /* wgsl */ `
fn main(index : i32) {
  if (index < uniforms.size) {
    setOutputAtIndex(index, ${JACOBI_STATE}[index]);
  }
}
`;
