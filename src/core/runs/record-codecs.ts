// How a read-back and a mode count lie in a record's columns (record-columns.ts). A read-back's
// per-layer lists keep their own lengths, so every point comes back as it was read, value for value.
import type { CoveragePoint } from '../metrics/mode-coverage';
import { LIPSCHITZ_KEYS, type LipschitzReading } from '../train/lipschitz-probe';
import type { MetricsPoint } from '../train/types';
import type { RowCodec } from './record-columns';

const SCALARS = ['iteration', 'seconds', 'dLoss', 'gLoss', 'gradNormTotal'] as const;
const SIGMA_COUNT = SCALARS.length;
const GRAD_COUNT = SIGMA_COUNT + 1;
const HAS_LIPSCHITZ = GRAD_COUNT + 1;
const FIRST_LIPSCHITZ = HAS_LIPSCHITZ + 1;
/** Then sigma i at FIRST_LAYER + 2i and gradNorm i at FIRST_LAYER + 2i + 1. */
const FIRST_LAYER = FIRST_LIPSCHITZ + LIPSCHITZ_KEYS.length;

export const METRICS_CODEC: RowCodec<MetricsPoint> = {
  slots: (p) => FIRST_LAYER + 2 * Math.max(p.sigmas.length, p.gradNorms.length),
  write(p, put) {
    SCALARS.forEach((key, slot) => put(slot, p[key]));
    put(SIGMA_COUNT, p.sigmas.length);
    put(GRAD_COUNT, p.gradNorms.length);
    put(HAS_LIPSCHITZ, p.lipschitz ? 1 : 0);
    if (p.lipschitz) LIPSCHITZ_KEYS.forEach((key, i) => put(FIRST_LIPSCHITZ + i, p.lipschitz![key]));
    p.sigmas.forEach((value, i) => put(FIRST_LAYER + 2 * i, value));
    p.gradNorms.forEach((value, i) => put(FIRST_LAYER + 2 * i + 1, value));
  },
  read(get) {
    const point: MetricsPoint = {
      iteration: get(0),
      seconds: get(1),
      dLoss: get(2),
      gLoss: get(3),
      sigmas: Array.from({ length: get(SIGMA_COUNT) }, (_, i) => get(FIRST_LAYER + 2 * i)),
      gradNorms: Array.from({ length: get(GRAD_COUNT) }, (_, i) => get(FIRST_LAYER + 2 * i + 1)),
      gradNormTotal: get(4),
    };
    if (get(HAS_LIPSCHITZ) >= 1) {
      const reading = {} as LipschitzReading;
      LIPSCHITZ_KEYS.forEach((key, i) => (reading[key] = get(FIRST_LIPSCHITZ + i)));
      point.lipschitz = reading;
    }
    return point;
  },
};

/** Slots that count list entries or flag a part: a chart's downsample takes their largest value. */
export const METRICS_COUNT_SLOTS: readonly number[] = [SIGMA_COUNT, GRAD_COUNT, HAS_LIPSCHITZ];

const COVERAGE_KEYS = ['iteration', 'modesCaptured', 'modeCount', 'highQualityShare', 'klFromUniform'] as const;

export const COVERAGE_CODEC: RowCodec<CoveragePoint> = {
  slots: () => COVERAGE_KEYS.length,
  write: (point, put) => COVERAGE_KEYS.forEach((key, slot) => put(slot, point[key])),
  read(get) {
    const point = {} as CoveragePoint;
    COVERAGE_KEYS.forEach((key, slot) => (point[key] = get(slot)));
    return point;
  },
};
