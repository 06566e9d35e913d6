// The hot loop shared by the exact-spectrum Gram matrix and KID's kernel sums: dot products of two
// rows of `a` with four rows of `b` at once (a 2 x 4 register tile: six loads feed eight
// multiply-adds, about half the time of plain dot products on a 512 x 512 Gram matrix).

/**
 * out[r * 4 + c] = sum_k a[aRow_r + k] * b[bRow_c + k] for r < 2, c < 4, k < length, where aRow_r
 * and bRow_c are the start offsets of the rows. Accumulates in float64, k in order.
 */
export function dotTile2x4(
  a: Float64Array,
  a0: number,
  a1: number,
  b: Float64Array,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  length: number,
  out: Float64Array,
): void {
  let s00 = 0;
  let s01 = 0;
  let s02 = 0;
  let s03 = 0;
  let s10 = 0;
  let s11 = 0;
  let s12 = 0;
  let s13 = 0;
  for (let k = 0; k < length; k++) {
    const x0 = a[a0 + k];
    const x1 = a[a1 + k];
    const y0 = b[b0 + k];
    const y1 = b[b1 + k];
    const y2 = b[b2 + k];
    const y3 = b[b3 + k];
    s00 += x0 * y0;
    s01 += x0 * y1;
    s02 += x0 * y2;
    s03 += x0 * y3;
    s10 += x1 * y0;
    s11 += x1 * y1;
    s12 += x1 * y2;
    s13 += x1 * y3;
  }
  out[0] = s00;
  out[1] = s01;
  out[2] = s02;
  out[3] = s03;
  out[4] = s10;
  out[5] = s11;
  out[6] = s12;
  out[7] = s13;
}
