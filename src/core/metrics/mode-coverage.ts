// Mode counting for data sets whose modes are known by construction.
//
// 2-D toy mixtures (VEEGAN protocol, PacGAN's code): each generated point is assigned to its nearest
// mode; it is high quality (HQ) when that distance is within `thresholdStds` (3) standard deviations
// of the mode. A mode is captured when at least one HQ point is assigned to it. Reported: modes
// captured, the HQ share, and KL(p || uniform) = sum_m p_m log(p_m M) of the histogram p of HQ points
// over the M modes (0 when balanced, log M when all on one mode).
// Note: even a perfect sampler has an HQ share of only 1 - exp(-9/2) = 98.89% at 3 std in 2-D (the
// squared distance / std^2 of a 2-D isotropic Gaussian is chi-square with 2 degrees of freedom).
//
// When no point is high quality (or there are no points) the histogram is undefined; klFromUniform is
// then defined as log M, the value of the worst defined case (everything on one mode). A finite value
// keeps charts and JSON (where Infinity becomes null) usable; modesCaptured = 0 tells the two apart.
import { GRID_OF_25, RING_OF_8, type Point2, type ToyModeSet } from '../data/toy-modes';

export { GRID_OF_25, RING_OF_8, type Point2, type ToyModeSet };

export interface ModeCoverageOptions {
  /** HQ radius in standard deviations (default 3). */
  thresholdStds?: number;
}

export interface ModeCoverage {
  /** Modes with at least one HQ point. */
  modesCaptured: number;
  /** M, the number of modes. */
  modeCount: number;
  /** Number of points scored. */
  sampleCount: number;
  /** Number of HQ points. */
  highQualityCount: number;
  /** HQ points / points (0 when there are no points). */
  highQualityShare: number;
  /** KL of the HQ histogram from uniform over the modes (nats); log M when no point is HQ. */
  klFromUniform: number;
  /** HQ points per mode, in the order of `modes`. */
  perMode: number[];
}

export interface ClassCoverage {
  /** Classes with at least one label. */
  classesCovered: number;
  /** Labels per class. */
  histogram: number[];
  /** KL of the label histogram from uniform over the classes (nats); log C when there are no labels. */
  klFromUniform: number;
}

/** KL(counts / total || uniform over counts.length); log M for an empty histogram. */
function klFromUniformCounts(counts: readonly number[]): number {
  const m = counts.length;
  let total = 0;
  for (const count of counts) total += count;
  if (total === 0) return Math.log(m);
  let kl = 0;
  for (const count of counts) {
    if (count > 0) {
      const p = count / total;
      kl += p * Math.log(p * m);
    }
  }
  // Rounding can leave a balanced histogram at about -1e-17.
  return Math.max(0, kl);
}

/**
 * Scores generated 2-D points (row-major [N, 2]) against the modes of a mixture with the given
 * isotropic std. Ties between equally near modes go to the first in `modes`.
 */
export function modeCoverage(
  points: ArrayLike<number>,
  modes: readonly Point2[],
  std: number,
  options: ModeCoverageOptions = {},
): ModeCoverage {
  const caller = 'modeCoverage';
  const thresholdStds = options.thresholdStds ?? 3;
  if (modes.length === 0) throw new Error(`${caller}: no modes given`);
  if (!(std > 0) || !Number.isFinite(std))
    throw new Error(`${caller}: std must be a positive finite number, got ${std}`);
  if (!(thresholdStds > 0) || !Number.isFinite(thresholdStds))
    throw new Error(`${caller}: thresholdStds must be a positive finite number, got ${thresholdStds}`);
  if (points.length % 2 !== 0)
    throw new Error(`${caller}: points must be [N, 2] row-major, got ${points.length} numbers (odd)`);
  for (let m = 0; m < modes.length; m++) {
    if (modes[m].length !== 2 || !Number.isFinite(modes[m][0]) || !Number.isFinite(modes[m][1]))
      throw new Error(`${caller}: mode ${m} is not a finite [x, y] pair`);
  }

  const sampleCount = points.length / 2;
  const radiusSquared = (thresholdStds * std) ** 2;
  const perMode: number[] = new Array<number>(modes.length).fill(0);
  let highQualityCount = 0;
  for (let i = 0; i < sampleCount; i++) {
    const x = points[2 * i];
    const y = points[2 * i + 1];
    // A NaN point is simply never near a mode: low quality, as a diverged generator deserves.
    let nearest = -1;
    let best = Infinity;
    for (let m = 0; m < modes.length; m++) {
      const dx = x - modes[m][0];
      const dy = y - modes[m][1];
      const distanceSquared = dx * dx + dy * dy;
      if (distanceSquared < best) {
        best = distanceSquared;
        nearest = m;
      }
    }
    if (nearest >= 0 && best <= radiusSquared) {
      perMode[nearest]++;
      highQualityCount++;
    }
  }
  return {
    modesCaptured: perMode.filter((count) => count > 0).length,
    modeCount: modes.length,
    sampleCount,
    highQualityCount,
    highQualityShare: sampleCount === 0 ? 0 : highQualityCount / sampleCount,
    klFromUniform: klFromUniformCounts(perMode),
    perMode,
  };
}

/** modeCoverage against a ToyModeSet (RING_OF_8, GRID_OF_25). */
export function toyModeCoverage(
  points: ArrayLike<number>,
  set: ToyModeSet,
  options: ModeCoverageOptions = {},
): ModeCoverage {
  return modeCoverage(points, set.modes, set.std, options);
}

/**
 * Coverage of a data set's classes by per-sample labels (e.g. the built-in image set, whose classes are
 * known by construction): integers in [0, classCount); anything else is an error.
 */
export function classCoverage(labels: ArrayLike<number>, classCount: number): ClassCoverage {
  if (!Number.isInteger(classCount) || classCount < 1)
    throw new Error(`classCoverage: classCount must be a positive integer, got ${classCount}`);
  const histogram: number[] = new Array<number>(classCount).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= classCount) {
      throw new Error(`classCoverage: label ${label} at index ${i} is not an integer in [0, ${classCount})`);
    }
    histogram[label]++;
  }
  return {
    classesCovered: histogram.filter((count) => count > 0).length,
    histogram,
    klFromUniform: klFromUniformCounts(histogram),
  };
}

/** One read-back of a 2-D run's mode count (the page keeps these, thinned like the metrics). */
export interface CoveragePoint {
  iteration: number;
  modesCaptured: number;
  modeCount: number;
  highQualityShare: number;
  klFromUniform: number;
}

export function coveragePoint(
  iteration: number,
  coverage: Pick<ModeCoverage, 'modesCaptured' | 'modeCount' | 'highQualityShare' | 'klFromUniform'>,
): CoveragePoint {
  return {
    iteration,
    modesCaptured: coverage.modesCaptured,
    modeCount: coverage.modeCount,
    highQualityShare: coverage.highQualityShare,
    klFromUniform: coverage.klFromUniform,
  };
}
