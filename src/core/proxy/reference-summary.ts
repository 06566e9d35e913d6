// The real-data references as the numbers people read and files keep: what the page's proxy worker
// sends with a ready proxy and what `npm run headless` writes, one summary instead of a copy each.
import type { KidProxy, RealReference } from './sample-quality';

/** The real-data references at N, the lines drawn beside the generator's numbers. */
export interface ReferenceSummary {
  n: number;
  /** N as asked for (n is smaller when a split has fewer images). */
  requestedN: number;
  /** IS proxy of N held-out images, with its entropy parts. */
  heldOutIs: number;
  heldOutMarginalEntropy: number;
  heldOutConditionalEntropy: number;
  /** IS proxy of the N training images the generator is compared with. */
  trainIs: number;
  /** FID and KID proxies between N training and N held-out images. */
  fidTrainVsHeldOut: number;
  kidTrainVsHeldOut: KidProxy;
  /** Classes covered (argmax) by the N held-out images, and of how many. */
  heldOutClassesCovered: number;
  classCount: number;
  seconds: number;
}

export function summarizeReference(reference: RealReference, requestedN: number): ReferenceSummary {
  const heldOut = reference.heldOut.inceptionScore;
  return {
    n: reference.n,
    requestedN,
    heldOutIs: heldOut.score,
    heldOutMarginalEntropy: heldOut.marginalEntropy,
    heldOutConditionalEntropy: heldOut.meanConditionalEntropy,
    trainIs: reference.train.inceptionScore.score,
    fidTrainVsHeldOut: reference.fidTrainVsHeldOut,
    // A copy: the summary is posted and written, the reference stays in use.
    kidTrainVsHeldOut: { mean: reference.kidTrainVsHeldOut.mean, std: reference.kidTrainVsHeldOut.std },
    heldOutClassesCovered: reference.heldOut.coverage.classesCovered,
    classCount: reference.classCount,
    seconds: reference.seconds,
  };
}
