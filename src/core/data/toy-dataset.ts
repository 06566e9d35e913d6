// Built-in 2-D data sets: a fixed pool of points drawn from a mixture of Gaussians (the mode
// constants of toy-modes.ts), so a fresh checkout trains the classic toy GAN at once, even offline.
//
// A pool rather than fresh draws each batch: the same seeded BatchSampler (epoch shuffles,
// resumable position) and `subset` field serve images and points alike, the real data is one array
// that a scatter plot or a metric can use as the real sample, and the data is a pure function of
// (data set, subset). With 5000 points (625 per ring mode) at std 0.02-0.05 the pool matches the
// mixture far below the scale at which modes are counted, and a D of a few hundred units cannot
// memorize it. The pool is drawn from a constant seed, not the run's `seed`, as CIFAR-10's images
// are the same for every seed: runs that differ only in `seed` see the same data, and the page's
// data cache (keyed on dataset and subset) is always right. A smaller subset is a prefix of a
// larger one.
import type { ToyDatasetName } from '../config/schema';
import { GRID_OF_25, RING_OF_8, sampleToyModes, type ToyModeSet } from './toy-modes';
import type { PointSet } from './types';

/** Seed of every toy pool; a constant, see above. */
export const TOY_POOL_SEED = 0x5eed2d;

export const TOY_MIXTURES: Record<ToyDatasetName, ToyModeSet> = {
  ring8: RING_OF_8,
  grid25: GRID_OF_25,
};

const DESCRIPTIONS: Record<ToyDatasetName, string> = {
  ring8: '8 Gaussians on a circle of radius 2, std 0.02',
  grid25: '25 Gaussians at {-4,-2,0,2,4}^2, std 0.05',
};

function coordinate(value: number): string {
  return String(Number(value.toFixed(3)));
}

export function makeToyDataset(name: ToyDatasetName, count: number): PointSet {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  const mixture = TOY_MIXTURES[name];
  return {
    kind: 'points',
    name: `${name}: ${DESCRIPTIONS[name]}`,
    count,
    points: Float32Array.from(sampleToyModes(mixture, count, TOY_POOL_SEED)),
    classNames: mixture.modes.map(([x, y]) => `(${coordinate(x)}, ${coordinate(y)})`),
    mixture,
  };
}
