// summarizeReference (src/core/proxy/reference-summary.ts): the numbers the proxy worker posts with a
// ready proxy, taken from the right parts of the real-data reference.
import { describe, expect, it } from 'vitest';
import { summarizeReference } from '../../../../src/core/proxy/reference-summary';
import type { RealReference } from '../../../../src/core/proxy/sample-quality';

const reference = {
  n: 300,
  classCount: 10,
  train: { inceptionScore: { score: 4.5, marginalEntropy: 2.2, meanConditionalEntropy: 0.7 } },
  heldOut: {
    inceptionScore: { score: 4.1, marginalEntropy: 2.1, meanConditionalEntropy: 0.69 },
    coverage: { classesCovered: 9, classCount: 10 },
  },
  fidTrainVsHeldOut: 0.06,
  kidTrainVsHeldOut: { mean: -0.01, std: 0.02 },
  seconds: 1.25,
} as unknown as RealReference;

describe('summarizeReference', () => {
  it('takes the held-out IS parts, the train IS, the real-vs-real FID and KID and the coverage', () => {
    expect(summarizeReference(reference, 500)).toEqual({
      n: 300,
      requestedN: 500,
      heldOutIs: 4.1,
      heldOutMarginalEntropy: 2.1,
      heldOutConditionalEntropy: 0.69,
      trainIs: 4.5,
      fidTrainVsHeldOut: 0.06,
      kidTrainVsHeldOut: { mean: -0.01, std: 0.02 },
      heldOutClassesCovered: 9,
      classCount: 10,
      seconds: 1.25,
    });
  });
});
