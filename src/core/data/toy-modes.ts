// The two 2-D mixtures of Gaussians used to count modes (Unrolled GAN, VEEGAN, PacGAN): a ring of 8
// and a grid of 25 equally weighted isotropic Gaussians. The data-set code samples from them and the
// mode-coverage metric scores generated points against the same constants.
import { SeededRandom } from './seeded-random';

export type Point2 = readonly [number, number];

export interface ToyModeSet {
  /** Short name for labels and logs. */
  readonly name: string;
  /** Mode centres; the mixture weights are equal. */
  readonly modes: readonly Point2[];
  /** Standard deviation of each (isotropic) mode. */
  readonly std: number;
}

function frozenModes(points: Point2[]): readonly Point2[] {
  return Object.freeze(points.map((point) => Object.freeze([point[0], point[1]] as const)));
}

/**
 * Unrolled GAN ring: 8 modes at angles 2*pi*k/8 (k = 0..7) on a circle of radius 2, std 0.02. The
 * angles are k/8 of a turn, not linspace(0, 2*pi, 8), which would put two modes on the same spot.
 */
export const RING_OF_8: ToyModeSet = Object.freeze({
  name: 'ring of 8',
  modes: frozenModes(
    Array.from({ length: 8 }, (_, k): Point2 => [
      2 * Math.cos((2 * Math.PI * k) / 8),
      2 * Math.sin((2 * Math.PI * k) / 8),
    ]),
  ),
  std: 0.02,
});

/** PacGAN / VEEGAN grid: 25 modes at {-4, -2, 0, 2, 4}^2 (index = 5 * ix + iy), std 0.05. */
export const GRID_OF_25: ToyModeSet = Object.freeze({
  name: 'grid of 25',
  modes: frozenModes(Array.from({ length: 25 }, (_, k): Point2 => [-4 + 2 * Math.floor(k / 5), -4 + 2 * (k % 5)])),
  std: 0.05,
});

/**
 * `count` points [count, 2] row-major drawn from the mixture itself (a perfect sampler): each point
 * picks a mode uniformly, then adds N(0, std^2 I). Seeded: the same seed gives the same points.
 */
export function sampleToyModes(set: ToyModeSet, count: number, seed: number): Float64Array {
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`sampleToyModes: count must be a non-negative integer, got ${count}`);
  if (set.modes.length === 0) throw new Error(`sampleToyModes: the mode set '${set.name}' has no modes`);
  const random = new SeededRandom(seed);
  const out = new Float64Array(count * 2);
  for (let i = 0; i < count; i++) {
    const mode = set.modes[random.nextInt(set.modes.length)];
    // Box-Muller: one pair of independent standard normals per point.
    const radius = Math.sqrt(-2 * Math.log(1 - random.next()));
    const angle = 2 * Math.PI * random.next();
    out[2 * i] = mode[0] + set.std * radius * Math.cos(angle);
    out[2 * i + 1] = mode[1] + set.std * radius * Math.sin(angle);
  }
  return out;
}
