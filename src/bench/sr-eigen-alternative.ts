// The alternative to SR's GPU Jacobi, timed for comparison only: the Gram matrix on the backend,
// read back (await data()), a float64 symmetric eigen-decomposition on the CPU (ml-matrix's EVD:
// Householder tridiagonalization + QL, i.e. JAMA's tred2/tql2), then M = U diag(m) U^T uploaded and
// applied with one matMul. It needs an asynchronous read-back, which the trainer's synchronous step
// cannot wait for; this measures what it would cost if it could. Node / dev only (ml-matrix).
import * as tf from '@tensorflow/tfjs';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { matrixShape } from '../core/normalize/types';
import { median } from './side-by-side';

export interface AlternativeRow {
  shape: number[];
  /** Whole pass: Gram, read-back, CPU eigen, upload, matMul, read-back. */
  ms: number;
  /** The CPU eigen-decomposition alone. */
  eigenMs: number;
}

export async function benchGramCpuEigen(
  shapes: number[][],
  repeats: number,
  budgetMs = 20_000,
): Promise<AlternativeRow[]> {
  const rows: AlternativeRow[] = [];
  for (const shape of shapes) {
    const [k, c] = matrixShape(shape);
    const transposed = k < c;
    const n = Math.min(k, c);
    const a = tf.randomNormal([k, c], 0, 0.05, 'float32', 1) as tf.Tensor2D;
    const total: number[] = [];
    const eigen: number[] = [];
    let spent = 0;
    for (let r = 0; r < repeats && (total.length < 3 || spent < budgetMs); r++) {
      const start = performance.now();
      const gram = transposed ? tf.matMul(a, a, false, true) : tf.matMul(a, a, true, false);
      const values = await gram.data();
      gram.dispose();
      const eigenStart = performance.now();
      const evd = new EigenvalueDecomposition(Matrix.from1DArray(n, n, Array.from(values)), { assumeSymmetric: true });
      const s = evd.realEigenvalues.map((x) => Math.sqrt(Math.max(x, 0)));
      const s1 = Math.max(...s);
      const multipliers = Matrix.diag(s.map((x) => (x > 0 ? s1 / x : 1)));
      const m = evd.eigenvectorMatrix.mmul(multipliers).mmul(evd.eigenvectorMatrix.transpose());
      eigen.push(performance.now() - eigenStart);
      const result = tf.tidy(() => {
        const mTensor = tf.tensor2d(Float32Array.from(m.to1DArray()), [n, n]);
        return transposed ? tf.matMul(mTensor, a) : tf.matMul(a, mTensor);
      });
      await result.data();
      result.dispose();
      total.push(performance.now() - start);
      spent += total[total.length - 1];
    }
    a.dispose();
    rows.push({ shape, ms: median(total), eigenMs: median(eigen) });
  }
  return rows;
}
