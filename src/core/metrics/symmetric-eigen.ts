// Eigen-decomposition of a real symmetric matrix in float64 on the CPU: Householder reduction to
// tridiagonal form, then the implicit QL algorithm with Wilkinson-like shifts (the classical
// EISPACK tred2 / tql2 pair). The exact spectra of the observatory and the FID computation use it.
//
// Layout note: the textbook versions walk the lower triangle column by column, which is strided in
// a row-major array. Here the working matrix is kept transposed (Z = Q^T, rows are the vectors being
// built), so every O(n^3) inner loop runs over contiguous memory; that is what makes n = 512 fast.

/** QL sweeps allowed per eigenvalue before giving up (EISPACK allows 30; convergence is cubic). */
const MAX_QL_ITERATIONS_PER_VALUE = 60;
const EPSILON = 2 ** -52;

export interface SymmetricEigen {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** Eigenvectors as the columns of a row-major n x n matrix, column j belongs to values[j]. */
  vectors: Float64Array;
}

/** Eigenvalues of the symmetric n x n row-major matrix `a` (not modified), descending. */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  checkInput(a, n);
  const z = Float64Array.from(a.subarray(0, n * n));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalize(z, n, d, e, false);
  diagonalizeTridiagonal(d, e, n, null);
  d.sort();
  return d.reverse();
}

/** Eigenvalues (descending) and orthonormal eigenvectors of the symmetric n x n row-major matrix `a`. */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  checkInput(a, n);
  const z = Float64Array.from(a.subarray(0, n * n));
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tridiagonalize(z, n, d, e, true);
  diagonalizeTridiagonal(d, e, n, z);
  // Rows of z are the eigenvectors; sort by value and write them out as columns.
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[j] - d[i]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let column = 0; column < n; column++) {
    const source = order[column];
    values[column] = d[source];
    const offset = source * n;
    for (let row = 0; row < n; row++) vectors[row * n + column] = z[offset + row];
  }
  return { values, vectors };
}

function checkInput(a: Float64Array, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`symmetric eigen: n must be a non-negative integer, got ${n}`);
  if (a.length < n * n) throw new Error(`symmetric eigen: need ${n * n} elements for n=${n}, got ${a.length}`);
  // A NaN or infinity would make the QL convergence test meaningless.
  for (let i = 0; i < n * n; i++) {
    if (!Number.isFinite(a[i])) throw new Error(`symmetric eigen: non-finite element ${a[i]} at index ${i}`);
  }
}

/**
 * Householder reduction of z (symmetric, overwritten) to tridiagonal form: diagonal in d, sub-diagonal
 * in e[1..n-1] (e[0] = 0). With `accumulate`, z ends as Q^T (rows are the columns of Q, A = Q T Q^T);
 * without it, z is scratch and the back-accumulation (half the work) is skipped.
 */
function tridiagonalize(z: Float64Array, n: number, d: Float64Array, e: Float64Array, accumulate: boolean): void {
  if (n === 0) return;
  // z[j * n + k] with j <= k holds the textbook V[k][j]: the lower triangle, transposed.
  for (let j = 0; j < n; j++) d[j] = z[j * n + n - 1];

  for (let i = n - 1; i > 0; i--) {
    // d[0..i-1] is row i of the remaining matrix; scale it to avoid under/overflow.
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      // Already tridiagonal in this row: skip the reflection.
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = z[j * n + i - 1];
        z[j * n + i] = 0;
        z[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g; // d is now the Householder vector u, H = I - u u^T / h
      for (let j = 0; j < i; j++) e[j] = 0;

      // e = A u over the leading i x i block, reading each stored row once.
      for (let j = 0; j < i; j++) {
        const row = j * n;
        f = d[j];
        z[i * n + j] = f; // keep u for the back-accumulation (textbook V[j][i])
        g = e[j] + z[row + j] * f;
        for (let k = j + 1; k < i; k++) {
          const zjk = z[row + k];
          g += zjk * d[k];
          e[k] += zjk * f;
        }
        e[j] = g;
      }
      // p = A u / h, K = u^T p / 2h, q = p - K u.
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      // A <- A - u q^T - q u^T on the stored triangle.
      for (let j = 0; j < i; j++) {
        const row = j * n;
        f = d[j];
        g = e[j];
        for (let k = j; k < i; k++) z[row + k] -= f * e[k] + g * d[k];
        d[j] = z[row + i - 1];
        z[row + i] = 0;
      }
    }
    d[i] = h;
  }

  if (accumulate) {
    // Q = H_{n-1} ... H_1 applied to the identity, built in place (rows of z are Q's columns).
    for (let i = 0; i < n - 1; i++) {
      const rowI = i * n;
      const rowNext = (i + 1) * n;
      z[rowI + n - 1] = z[rowI + i];
      z[rowI + i] = 1;
      const h = d[i + 1];
      if (h !== 0) {
        for (let k = 0; k <= i; k++) d[k] = z[rowNext + k] / h;
        for (let j = 0; j <= i; j++) {
          const rowJ = j * n;
          let g = 0;
          for (let k = 0; k <= i; k++) g += z[rowNext + k] * z[rowJ + k];
          for (let k = 0; k <= i; k++) z[rowJ + k] -= g * d[k];
        }
      }
      for (let k = 0; k <= i; k++) z[rowNext + k] = 0;
    }
    for (let j = 0; j < n; j++) {
      d[j] = z[j * n + n - 1];
      z[j * n + n - 1] = 0;
    }
    z[(n - 1) * n + n - 1] = 1;
  } else {
    for (let j = 0; j < n; j++) d[j] = z[j * n + j];
  }
  e[0] = 0;
}

/**
 * Implicit QL with shifts on the tridiagonal (d, e[1..n-1]); d ends as the eigenvalues (unsorted).
 * When z is given (rows = current basis vectors), each Givens rotation is applied to two of its rows.
 */
function diagonalizeTridiagonal(d: Float64Array, e: Float64Array, n: number, z: Float64Array | null): void {
  if (n === 0) return;
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;

  let shift = 0;
  let largest = 0;
  for (let l = 0; l < n; l++) {
    // Find the first negligible sub-diagonal element at or after l: the block d[l..m] splits off.
    largest = Math.max(largest, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > EPSILON * largest) m++;

    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > MAX_QL_ITERATIONS_PER_VALUE) {
          throw new Error(
            `symmetric eigen: QL did not converge for eigenvalue ${l} of ${n} after ` +
              `${MAX_QL_ITERATIONS_PER_VALUE} iterations`,
          );
        }
        // Shift from the leading 2x2 block (Wilkinson-like), applied to the whole block.
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        shift += h;

        // Chase the bulge from m back up to l with Givens rotations.
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (z !== null) {
            const rowI = i * n;
            const rowNext = (i + 1) * n;
            for (let k = 0; k < n; k++) {
              const zNext = z[rowNext + k];
              const zi = z[rowI + k];
              z[rowNext + k] = s * zi + c * zNext;
              z[rowI + k] = c * zi - s * zNext;
            }
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPSILON * largest);
    }
    d[l] += shift;
    e[l] = 0;
  }
}

/** sqrt(x^2 + y^2) without overflow or underflow (Math.hypot is slower and the same here). */
function hypot(x: number, y: number): number {
  const ax = Math.abs(x);
  const ay = Math.abs(y);
  if (ax > ay) {
    const ratio = ay / ax;
    return ax * Math.sqrt(1 + ratio * ratio);
  }
  if (ay === 0) return 0;
  const ratio = ax / ay;
  return ay * Math.sqrt(1 + ratio * ratio);
}
