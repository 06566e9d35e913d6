// Inception Score from a classifier's class probabilities p(y|x) (any classifier: in this project a
// small in-app CNN, so the numbers are proxies, not comparable with Inception-based IS):
//
//   IS = exp(E_x KL(p(y|x) || p(y))) = exp(H(p(y)) - E_x H(p(y|x))),   p(y) = E_x p(y|x),
//
// so log IS is the diversity term H(p(y)) minus the confidence term E H(p(y|x)); both are returned to
// plot separately. 1 <= IS <= C (number of classes). Entropies use 0 log 0 = 0, in float64, natural log.
//
// Splits, as the original code (and torch-fidelity, `isc_splits = 10`) do: the N rows are cut into
// `splits` contiguous parts [floor(s N / S), floor((s+1) N / S)), p(y) is estimated per part, and the
// score is the mean of the per-part scores with their population standard deviation. Shuffle the rows
// first if their order is not random. With the default of 1 split, log(score) equals
// marginalEntropy - meanConditionalEntropy exactly; with more splits, `score` is the mean over parts
// while the two entropies are still those of the whole set, so that identity no longer holds.

export interface InceptionScoreOptions {
  /** Number of contiguous parts with their own p(y) (default 1). Needs 1 <= splits <= N. */
  splits?: number;
}

export interface InceptionScore {
  /** IS (the mean over splits when splits > 1). */
  score: number;
  /** Population standard deviation of the per-split scores (0 for one split). */
  std: number;
  /** The per-split scores. */
  splitScores: number[];
  /** E_x H(p(y|x)) over all rows (nats): low when the classifier is confident. */
  meanConditionalEntropy: number;
  /** H(p(y)) of all rows (nats): high when the classes are evenly used; at most log C. */
  marginalEntropy: number;
}

type Rows = Float32Array | Float64Array;

function checkShape(caller: string, data: Rows, count: number, classes: number): void {
  if (!Number.isInteger(classes) || classes < 1)
    throw new Error(`${caller}: classes must be a positive integer, got ${classes}`);
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`${caller}: count must be a positive integer, got ${count}`);
  if (data.length !== count * classes)
    throw new Error(`${caller}: ${count} x ${classes} values need ${count * classes} elements, got ${data.length}`);
}

/** -sum p log p over a probability vector (0 log 0 = 0). */
function entropy(p: Float64Array): number {
  let h = 0;
  for (let c = 0; c < p.length; c++) if (p[c] > 0) h -= p[c] * Math.log(p[c]);
  return h;
}

/**
 * Core: `probabilities` are float64 rows that sum to 1, `rowEntropy[i]` = H(row i). Computes the split
 * scores and the whole-set entropies.
 */
function scoreFromRows(
  caller: string,
  probabilities: Float64Array,
  rowEntropy: Float64Array,
  count: number,
  classes: number,
  options: InceptionScoreOptions,
): InceptionScore {
  const splits = options.splits ?? 1;
  if (!Number.isInteger(splits) || splits < 1 || splits > count)
    throw new Error(`${caller}: splits must be an integer in [1, ${count}], got ${splits}`);

  const marginal = new Float64Array(classes);
  const splitMarginal = new Float64Array(classes);
  const splitScores: number[] = [];
  let totalConditional = 0;
  for (let s = 0; s < splits; s++) {
    const start = Math.floor((s * count) / splits);
    const end = Math.floor(((s + 1) * count) / splits);
    splitMarginal.fill(0);
    let conditional = 0;
    for (let i = start; i < end; i++) {
      const row = i * classes;
      for (let c = 0; c < classes; c++) splitMarginal[c] += probabilities[row + c];
      conditional += rowEntropy[i];
    }
    totalConditional += conditional;
    const rows = end - start;
    for (let c = 0; c < classes; c++) {
      marginal[c] += splitMarginal[c];
      splitMarginal[c] /= rows;
    }
    splitScores.push(Math.exp(entropy(splitMarginal) - conditional / rows));
  }
  for (let c = 0; c < classes; c++) marginal[c] /= count;
  const meanConditionalEntropy = totalConditional / count;
  const marginalEntropy = entropy(marginal);

  let score: number;
  let std = 0;
  if (splits === 1) {
    score = Math.exp(marginalEntropy - meanConditionalEntropy);
  } else {
    score = splitScores.reduce((a, b) => a + b, 0) / splits;
    for (const value of splitScores) std += (value - score) * (value - score);
    std = Math.sqrt(std / splits);
  }
  return { score, std, splitScores, meanConditionalEntropy, marginalEntropy };
}

/**
 * IS from class probabilities p(y|x), row-major [count, classes] (a softmax output). Each row is
 * renormalized by its sum in float64 (a float32 softmax sums to 1 only within ~1e-6); a negative or
 * non-finite entry, or a row summing to 0, is an error.
 */
export function inceptionScore(
  probabilities: Rows,
  count: number,
  classes: number,
  options: InceptionScoreOptions = {},
): InceptionScore {
  const caller = 'inceptionScore';
  checkShape(caller, probabilities, count, classes);
  const p = new Float64Array(count * classes);
  const rowEntropy = new Float64Array(count);
  const row = new Float64Array(classes);
  for (let i = 0; i < count; i++) {
    const offset = i * classes;
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const value = probabilities[offset + c];
      if (!Number.isFinite(value) || value < 0)
        throw new Error(`${caller}: probability ${value} at row ${i}, class ${c} is not a finite non-negative number`);
      sum += value;
    }
    if (sum <= 0) throw new Error(`${caller}: row ${i} sums to 0`);
    for (let c = 0; c < classes; c++) {
      row[c] = probabilities[offset + c] / sum;
      p[offset + c] = row[c];
    }
    rowEntropy[i] = entropy(row);
  }
  return scoreFromRows(caller, p, rowEntropy, count, classes, options);
}

/**
 * IS from classifier logits [count, classes]: a float64 log-softmax (as torch-fidelity), so the row
 * entropies are exact even where a probability underflows.
 */
export function inceptionScoreFromLogits(
  logits: Rows,
  count: number,
  classes: number,
  options: InceptionScoreOptions = {},
): InceptionScore {
  const caller = 'inceptionScoreFromLogits';
  checkShape(caller, logits, count, classes);
  const p = new Float64Array(count * classes);
  const rowEntropy = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const offset = i * classes;
    let largest = -Infinity;
    for (let c = 0; c < classes; c++) {
      const value = logits[offset + c];
      if (!Number.isFinite(value)) throw new Error(`${caller}: non-finite logit ${value} at row ${i}, class ${c}`);
      largest = Math.max(largest, value);
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[offset + c] - largest);
    const logNormalizer = largest + Math.log(sum);
    let h = 0;
    for (let c = 0; c < classes; c++) {
      const logP = logits[offset + c] - logNormalizer;
      const probability = Math.exp(logP);
      p[offset + c] = probability;
      h -= probability * logP;
    }
    rowEntropy[i] = h;
  }
  return scoreFromRows(caller, p, rowEntropy, count, classes, options);
}
