/**
 * Parallel cyclic Jacobi for a symmetric matrix T (n x n), written with stock tfjs ops: the path on
 * webgl and cpu, and the oracle the WGSL kernel (jacobi-rotation-webgpu.ts) is tested against.
 *
 * Why Jacobi: SR needs the eigen-decomposition of a small Gram matrix after a D update, inside the
 * trainer's synchronous step. tfjs has no eig/SVD, and reading the Gram back to the CPU would need
 * dataSync (not available on webgpu in Node, a stall in the browser). Jacobi needs only
 * data-independent, element-parallel steps, so it stays on the GPU with no read-back.
 *
 * One round applies n/2 disjoint plane rotations at once (Brent-Luk / round-robin ordering: the
 * "circle method" pairs every index with every other exactly once in n_even - 1 rounds, one sweep).
 * The state is the stacked [2n, n] matrix [T; Q]; a round maps it to [J^T T J; Q J], where J holds the
 * rotations. Starting from Q = I, after enough sweeps T is diagonal (the eigenvalues) and Q's columns
 * are the eigenvectors: T_0 = Q diag(T) Q^T.
 *
 * The rotation of a pair (p < q) zeroes T_pq (Golub & Van Loan, Algorithm 8.5.1, sym.schur2):
 *   tau = (T_qq - T_pp) / (2 T_pq), t = sign(tau) / (|tau| + sqrt(1 + tau^2)), c = 1/sqrt(1+t^2), s = t c,
 *   J_pp = J_qq = c, J_pq = s, J_qp = -s.
 * For index i with partner p_i, column i of J has c at row i and g_i = J[p_i][i] (s if i > p_i, else
 * -s) at row p_i, so entry by entry:
 *   T'[i][j] = c_i (c_j T[i][j] + g_j T[i][p_j]) + g_i (c_j T[p_i][j] + g_j T[p_i][p_j])
 *   Q'[i][j] = c_j Q[i][j] + g_j Q[i][p_j]
 * An index without a partner (n odd) keeps c = 1, g = 0.
 */
import * as tf from '@tensorflow/tfjs';

/** The tfjs kernel name of `sweeps` Jacobi sweeps, registered for webgpu (WGSL) and cpu (loops). */
export const SYMMETRIC_JACOBI_SWEEPS_KERNEL = 'SymmetricJacobiSweeps';

/** |tau| above this: t = 1 / (2 tau) to first order, which avoids squaring tau out of f32 range. */
export const JACOBI_LARGE_TAU = 1e18;

/** Rounds in one sweep: every pair of the n indices (one dummy index added when n is odd) once. */
export function jacobiRoundsPerSweep(n: number): number {
  return n < 2 ? 0 : n + (n % 2) - 1;
}

/**
 * The partner of index i in round `round` (circle method over n_even = n + n % 2 indices, the last
 * one fixed): partner(i) = (2 round - i) mod (n_even - 1), with the fixed index taking the one that
 * would pair with itself. Returns n or more for the dummy index of an odd n (no rotation).
 * The WGSL kernel evaluates the same formula.
 */
export function jacobiPartner(i: number, round: number, n: number): number {
  const last = n + (n % 2) - 1;
  if (i === last) return round;
  const p = (((2 * round - i) % last) + last) % last;
  return p === i ? last : p;
}

export function jacobiPartners(round: number, n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => jacobiPartner(i, round, n));
}

export function assertJacobiState(state: tf.Tensor2D): number {
  const n = state.shape[1];
  if (state.rank !== 2 || state.shape[0] !== 2 * n || n < 1 || state.dtype !== 'float32') {
    throw new Error(`Jacobi needs a float32 state [2n, n] = [T; Q], got ${state.dtype} [${state.shape}]`);
  }
  return n;
}

/** One round of rotations on the state [T; Q]: the tfjs-ops twin of one WGSL dispatch. */
export function jacobiRoundOps(state: tf.Tensor2D, round: number): tf.Tensor2D {
  const n = assertJacobiState(state);
  const partners = jacobiPartners(round, n);
  // Index lists built on the host: they depend only on (round, n), never on the data.
  const paired = new Float32Array(n);
  const sign = new Float32Array(n);
  const low = new Int32Array(n);
  const high = new Int32Array(n);
  partners.forEach((p, i) => {
    const hasPartner = p < n;
    paired[i] = hasPartner ? 1 : 0;
    sign[i] = hasPartner && i > p ? 1 : -1;
    low[i] = hasPartner ? Math.min(i, p) : i;
    high[i] = hasPartner ? Math.max(i, p) : i;
  });
  return tf.tidy(() => {
    const t = tf.slice(state, [0, 0], [n, n]);
    const q = tf.slice(state, [n, 0], [n, n]);
    const partner = tf.tensor1d(
      partners.map((p) => (p < n ? p : 0)),
      'int32',
    );
    const at = (rows: Int32Array, cols: Int32Array) =>
      tf.gatherND(
        t,
        tf.tensor2d(
          Array.from(rows, (r, i) => [r, cols[i]]),
          [n, 2],
          'int32',
        ),
      ) as tf.Tensor1D;
    // The upper-triangle entry for both indices of a pair, so both compute the same rotation.
    const offDiagonal = at(low, high);
    const tau = tf.div(tf.sub(at(high, high), at(low, low)), tf.mul(2, offDiagonal));
    const absTau = tf.abs(tau);
    const tauSign = tf.where(tf.greaterEqual(tau, 0), tf.onesLike(tau), tf.fill([n], -1));
    const exact = tf.div(tauSign, tf.add(absTau, tf.sqrt(tf.add(1, tf.square(tau)))));
    const tangent = tf.where(tf.greater(absTau, JACOBI_LARGE_TAU), tf.div(0.5, tau), exact);
    // No rotation without a partner or when the entry is already zero (tau would be inf or NaN).
    const rotate = tf.logicalAnd(tf.notEqual(offDiagonal, 0), tf.cast(tf.tensor1d(paired), 'bool'));
    const tanOrZero = tf.where(rotate, tangent, tf.zerosLike(tangent));
    const c = tf.div(1, tf.sqrt(tf.add(1, tf.square(tanOrZero))));
    const g = tf.mul(tf.mul(tanOrZero, c), tf.tensor1d(sign));
    // With no partner g = 0, so the gathered index (0 then) does not matter.
    const cRow = tf.reshape(c, [1, n]);
    const gRow = tf.reshape(g, [1, n]);
    const tPartnerRows = tf.gather(t, partner, 0);
    const inner = tf.add(tf.mul(t, cRow), tf.mul(tf.gather(t, partner, 1), gRow));
    const innerPartner = tf.add(tf.mul(tPartnerRows, cRow), tf.mul(tf.gather(tPartnerRows, partner, 1), gRow));
    const tNext = tf.add(tf.mul(tf.reshape(c, [n, 1]), inner), tf.mul(tf.reshape(g, [n, 1]), innerPartner));
    const qNext = tf.add(tf.mul(q, cRow), tf.mul(tf.gather(q, partner, 1), gRow));
    return tf.concat([tNext, qNext], 0) as tf.Tensor2D;
  });
}

/** `sweeps` full sweeps of rounds from the state [T; Q]; the twin of the WGSL kernel. */
export function jacobiSweepsOps(state: tf.Tensor2D, sweeps: number): tf.Tensor2D {
  const n = assertJacobiState(state);
  const rounds = jacobiRoundsPerSweep(n);
  let current = tf.clone(state);
  for (let sweep = 0; sweep < sweeps; sweep++) {
    for (let round = 0; round < rounds; round++) {
      const next = jacobiRoundOps(current, round);
      current.dispose();
      current = next;
    }
  }
  return current;
}
