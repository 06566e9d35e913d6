/**
 * WGSL body of one parallel Jacobi round (jacobi-rotation-webgpu.ts wraps it; the math and its
 * tfjs-ops twin are in jacobi-rotation-ops.ts). A TypeScript string so Node loads it without Vite.
 *
 * Input `jacobiState` is the row-major [2n, n] matrix [T; Q]; the output has the same shape. One
 * thread per output entry. Each thread recomputes the rotation of its row's pair and of its column's
 * pair from three entries of T (cheaper than a separate dispatch and buffer for the rotations). Both
 * members of a pair read the same upper-triangle entry, so they compute bit-identical rotations.
 * Program-defined uniforms: `n` (the matrix size) and `round` (0 .. rounds per sweep - 1).
 */

import { JACOBI_LARGE_TAU } from './jacobi-rotation-ops';

export const JACOBI_STATE = 'jacobiState';

export const JACOBI_WORKGROUP_SIZE = 64;

export const JACOBI_ROUND_WGSL = /* wgsl */ `
struct Rotation {
  partner : i32,
  c : f32,
  // J[partner][i]: +s when i is the larger index of its pair, -s otherwise.
  g : f32,
}

fn jacobiPartner(i : i32) -> i32 {
  let n = uniforms.n;
  let last = n + (n & 1) - 1;
  if (i == last) {
    return uniforms.round;
  }
  let p = ((2 * uniforms.round - i) % last + last) % last;
  return select(p, last, p == i);
}

fn tEntry(row : i32, col : i32) -> f32 {
  return jacobiState[row * uniforms.n + col];
}

fn rotationOf(i : i32) -> Rotation {
  let p = jacobiPartner(i);
  if (p >= uniforms.n) {
    return Rotation(i, 1.0, 0.0);
  }
  let low = min(i, p);
  let high = max(i, p);
  let offDiagonal = tEntry(low, high);
  var t = 0.0;
  if (offDiagonal != 0.0) {
    let tau = (tEntry(high, high) - tEntry(low, low)) / (2.0 * offDiagonal);
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

fn main(index : i32) {
  if (index < uniforms.size) {
    let n = uniforms.n;
    let row = index / n;
    let col = index - row * n;
    let cr = rotationOf(col);
    if (row < n) {
      let rr = rotationOf(row);
      let inner = cr.c * tEntry(row, col) + cr.g * tEntry(row, cr.partner);
      let innerPartner = cr.c * tEntry(rr.partner, col) + cr.g * tEntry(rr.partner, cr.partner);
      setOutputAtIndex(index, rr.c * inner + rr.g * innerPartner);
    } else {
      setOutputAtIndex(index, cr.c * jacobiState[index] + cr.g * jacobiState[row * n + cr.partner]);
    }
  }
}
`;
