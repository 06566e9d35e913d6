// Built-in data set: procedurally drawn 32x32 RGB images in 10 classes, so a fresh checkout can
// train at once, even offline. Every image is a pure function of (seed, index): the same URL gives
// the same images everywhere, and a smaller `count` gives a prefix of a larger one.
//
// Shapes are drawn as signed distances (negative inside) with a one-pixel soft edge, which keeps
// them anti-aliased without supersampling. No trigonometry is used (only sqrt, which IEEE-754
// rounds exactly), so every JS engine draws the same bytes.
import { deriveSeed, SeededRandom } from './seeded-random';
import { IMAGE_BYTES, IMAGE_SIZE, type ImageSet } from './types';

export const SHAPE_CLASS_NAMES: readonly string[] = [
  'circle',
  'square',
  'triangle',
  'cross',
  'ring',
  'horizontal stripes',
  'vertical stripes',
  'checkerboard',
  'diamond',
  'dot grid',
];

export interface ShapesOptions {
  seed: number;
  count: number;
  /** Class ids 0-9 to draw; images cycle through them in this order, so classes stay balanced. */
  classes: readonly number[];
}

/** Signed distance from pixel centre (x, y) to the shape's edge; negative inside. */
type SignedDistance = (x: number, y: number) => number;

const SQRT2 = Math.sqrt(2);

/** Positive modulo, so patterns continue across negative coordinates. */
function wrap(value: number, period: number): number {
  const r = value % period;
  return r < 0 ? r + period : r;
}

/** Centre of a shape that keeps it mostly inside the frame. */
function centre(random: SeededRandom): [number, number] {
  return [random.nextRange(11, 21), random.nextRange(11, 21)];
}

/** One drawing function per class, in SHAPE_CLASS_NAMES order; each draws its own jitter. */
const SHAPE_BUILDERS: readonly ((random: SeededRandom) => SignedDistance)[] = [
  // circle
  (random) => {
    const [cx, cy] = centre(random);
    const radius = random.nextRange(5, 10);
    return (x, y) => Math.sqrt((x - cx) ** 2 + (y - cy) ** 2) - radius;
  },
  // square (axis-aligned; the diamond is the 45-degree one)
  (random) => {
    const [cx, cy] = centre(random);
    const half = random.nextRange(4.5, 9);
    return (x, y) => Math.max(Math.abs(x - cx), Math.abs(y - cy)) - half;
  },
  // triangle, apex up or down
  (random) => {
    const [cx, cy] = centre(random);
    const halfHeight = random.nextRange(5, 9);
    const halfBase = random.nextRange(5, 10);
    const direction = random.next() < 0.5 ? 1 : -1;
    // In a frame where v points from the apex (0, -h) to the base (v = h), the right side runs
    // from the apex to the corner (b, h); its outward normal is (2h, -b) / |(2h, -b)|.
    const length = Math.sqrt(4 * halfHeight * halfHeight + halfBase * halfBase);
    return (x, y) => {
      const u = Math.abs(x - cx);
      const v = (y - cy) * direction;
      const side = (2 * halfHeight * u - halfBase * (v + halfHeight)) / length;
      return Math.max(v - halfHeight, side);
    };
  },
  // cross (plus sign)
  (random) => {
    const [cx, cy] = centre(random);
    const arm = random.nextRange(6, 11);
    const thickness = random.nextRange(1.5, 3);
    return (x, y) => {
      const dx = Math.abs(x - cx);
      const dy = Math.abs(y - cy);
      return Math.min(Math.max(dx - arm, dy - thickness), Math.max(dx - thickness, dy - arm));
    };
  },
  // ring
  (random) => {
    const [cx, cy] = centre(random);
    const radius = random.nextRange(6, 10);
    const halfWidth = random.nextRange(1, 2);
    return (x, y) => Math.abs(Math.sqrt((x - cx) ** 2 + (y - cy) ** 2) - radius) - halfWidth;
  },
  // horizontal stripes: half of each period is painted
  (random) => {
    const period = random.nextRange(4, 9);
    const phase = random.nextRange(0, period);
    return (_x, y) => Math.abs(wrap(y + phase, period) - period / 2) - period / 4;
  },
  // vertical stripes
  (random) => {
    const period = random.nextRange(4, 9);
    const phase = random.nextRange(0, period);
    return (x) => Math.abs(wrap(x + phase, period) - period / 2) - period / 4;
  },
  // checkerboard
  (random) => {
    const cell = random.nextRange(4, 9);
    const phaseX = random.nextRange(0, 2 * cell);
    const phaseY = random.nextRange(0, 2 * cell);
    return (x, y) => {
      const u = x + phaseX;
      const v = y + phaseY;
      const fu = wrap(u, cell);
      const fv = wrap(v, cell);
      const toEdge = Math.min(fu, cell - fu, fv, cell - fv);
      const painted = (Math.floor(u / cell) + Math.floor(v / cell)) % 2 === 0;
      return painted ? -toEdge : toEdge;
    };
  },
  // diamond (L1 ball; dividing by sqrt 2 gives the true distance to its edges)
  (random) => {
    const [cx, cy] = centre(random);
    const radius = random.nextRange(6, 11);
    return (x, y) => (Math.abs(x - cx) + Math.abs(y - cy) - radius) / SQRT2;
  },
  // dot grid
  (random) => {
    const spacing = random.nextRange(6, 9);
    const radius = random.nextRange(1.3, spacing * 0.3);
    const phaseX = random.nextRange(0, spacing);
    const phaseY = random.nextRange(0, spacing);
    return (x, y) => {
      const fu = wrap(x + phaseX, spacing) - spacing / 2;
      const fv = wrap(y + phaseY, spacing) - spacing / 2;
      return Math.sqrt(fu * fu + fv * fv) - radius;
    };
  },
];

/** Rec. 601 luma, used to keep foreground and background apart. */
function luma(rgb: readonly number[]): number {
  return 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
}

function randomColour(random: SeededRandom): number[] {
  return [random.nextInt(256), random.nextInt(256), random.nextInt(256)];
}

/** Foreground and background colours with enough contrast that the shape is always visible. */
function contrastingColours(random: SeededRandom): { foreground: number[]; background: number[] } {
  const background = randomColour(random);
  let foreground = randomColour(random);
  for (let attempt = 0; attempt < 8 && Math.abs(luma(foreground) - luma(background)) < 80; attempt++) {
    foreground = randomColour(random);
  }
  if (Math.abs(luma(foreground) - luma(background)) < 80) {
    foreground = luma(background) < 128 ? [255, 255, 255] : [0, 0, 0];
  }
  return { foreground, background };
}

/** Draws image `index` of class `label` into `pixels` (NHWC) at that index. */
function drawImage(seed: number, index: number, label: number, pixels: Uint8ClampedArray): void {
  const random = new SeededRandom(deriveSeed(seed, index));
  const { foreground, background } = contrastingColours(random);
  // Background jitter: a gentle linear gradient of up to about +-30 levels across the image.
  const gradientX = random.nextRange(-1, 1);
  const gradientY = random.nextRange(-1, 1);
  const distance = SHAPE_BUILDERS[label](random);
  const [fgR, fgG, fgB] = foreground;
  const [bgR, bgG, bgB] = background;

  let out = index * IMAGE_BYTES;
  const middle = IMAGE_SIZE / 2;
  for (let row = 0; row < IMAGE_SIZE; row++) {
    const y = row + 0.5;
    for (let col = 0; col < IMAGE_SIZE; col++) {
      const x = col + 0.5;
      const shade = gradientX * (x - middle) + gradientY * (y - middle);
      const d = distance(x, y);
      // Coverage of the pixel by the shape: 1 inside, 0 outside, linear across a one-pixel edge.
      const coverage = d <= -0.5 ? 1 : d >= 0.5 ? 0 : 0.5 - d;
      const keep = 1 - coverage;
      // The clamped array rounds and clamps to 0-255 on store.
      pixels[out] = (bgR + shade) * keep + fgR * coverage;
      pixels[out + 1] = (bgG + shade) * keep + fgG * coverage;
      pixels[out + 2] = (bgB + shade) * keep + fgB * coverage;
      out += 3;
    }
  }
}

export function makeShapesDataset(options: ShapesOptions): ImageSet {
  const { seed, count, classes } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  if (classes.length === 0) throw new RangeError('classes must name at least one class id 0-9');
  for (const id of classes) {
    if (!Number.isInteger(id) || id < 0 || id >= SHAPE_CLASS_NAMES.length) {
      throw new RangeError(`class id ${id} is not an integer 0-${SHAPE_CLASS_NAMES.length - 1}`);
    }
  }

  const pixels = new Uint8Array(count * IMAGE_BYTES);
  const clampedView = new Uint8ClampedArray(pixels.buffer);
  const labels = new Uint8Array(count);
  for (let index = 0; index < count; index++) {
    const label = classes[index % classes.length];
    labels[index] = label;
    drawImage(seed, index, label, clampedView);
  }
  return {
    name: `shapes (seed ${seed}, classes ${classes.join(',')})`,
    count,
    pixels,
    labels,
    classNames: [...SHAPE_CLASS_NAMES],
  };
}
