// Every run field, in URL and panel order: its URL name, kind, range, default, doc and whether it
// applies live. The only list of fields; schema.ts derives GanConfig and LiveSettings from it.
import { ARCHS, BACKENDS, CONFIG_VERSION, DATASETS, LOSSES, NORMS, PROXY_RECIPE_NAMES, SR_LAYERS } from './field-kinds';
import type { FieldDecl, ScheduleEntry } from './field-kinds';

export const ALL_CLASSES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
/** A named default: an array literal under `as const` would be readonly. */
const NO_SCHEDULE: ScheduleEntry[] = [];

// `as const` keeps each key, kind and enum values tuple for the derived types; `satisfies` checks the shape.
export const FIELD_TABLE = [
  {
    key: 'v',
    kind: 'int',
    min: 1,
    max: CONFIG_VERSION,
    default: CONFIG_VERSION,
    doc:
      'URL format version: a link from a newer version opens with a message saying so, and each ' +
      'field this page cannot keep is named; links written by earlier builds open unchanged ' +
      '(tests/unit/core/config/url-versions.test.ts keeps some).',
  },
  {
    key: 'dataset',
    kind: 'enum',
    values: DATASETS,
    default: 'shapes',
    doc:
      'Training data: `shapes` (built in, procedurally drawn 32x32 shapes in 10 classes, no ' +
      'download), `cifar10` (the official binary files), or a 2-D toy mixture of Gaussians: `ring8` ' +
      '(8 modes on a circle of radius 2, std 0.02) or `grid25` (25 modes at {-4,-2,0,2,4}^2, std ' +
      '0.05). The toy sets are points, not images: they always train the 2-D MLP pair (`arch` is ' +
      'ignored) and ignore `classes`.',
  },
  {
    key: 'classes',
    kind: 'classes',
    default: ALL_CLASSES,
    doc:
      'Comma list of class ids 0-9 to train on (CIFAR-10: 0 airplane, 1 automobile, 2 bird, 3 ' +
      'cat, 4 deer, 5 dog, 6 frog, 7 horse, 8 ship, 9 truck).',
  },
  {
    key: 'subset',
    kind: 'int',
    min: 16,
    max: 60000,
    default: 5000,
    doc:
      'Number of images used from the chosen classes (the first ones in file order); for `ring8` ' +
      'and `grid25`, the number of points in the fixed pool drawn from the mixture (the same pool ' +
      'for every seed, as CIFAR-10 has the same images).',
  },
  {
    key: 'arch',
    kind: 'enum',
    values: ARCHS,
    default: 'cnn',
    doc:
      "Architecture: `cnn` (the SN paper's standard CNN for 32x32), `resnet` (the SN paper's " +
      "CIFAR ResNet: D width 2ch, G width 4gch, so 64/64 gives the paper's 128/256) or `mlp` (two " +
      'hidden layers of 4ch / 4gch units, for quick experiments). Applies to images; `ring8` and ' +
      '`grid25` always use the MLP (2 inputs to D, 2 linear outputs from G).',
  },
  {
    key: 'ch',
    kind: 'int',
    min: 1,
    max: 128,
    default: 64,
    doc: "Discriminator base channels (standard CNN: ch, ch, 2ch, 2ch, 4ch, 4ch, 8ch; the paper's is 64).",
  },
  {
    key: 'gch',
    kind: 'int',
    min: 1,
    max: 128,
    default: 64,
    doc: "Generator base channels (standard CNN: dense to 8gch at 4x4, deconvs to 4gch, 2gch, gch; the paper's is 64).",
  },
  { key: 'zdim', kind: 'int', min: 1, max: 512, default: 128, doc: 'Latent dimension; z ~ N(0, I).' },
  {
    key: 'batch',
    kind: 'int',
    min: 1,
    max: 512,
    default: 64,
    doc: 'Batch size of real and of generated images per update.',
  },
  {
    key: 'loss',
    live: true,
    kind: 'enum',
    values: LOSSES,
    default: 'hinge',
    doc: 'GAN loss: `hinge` or `ns` (the standard loss with the non-saturating G objective).',
  },
  { key: 'lr', kind: 'float', min: 1e-6, max: 1, default: 2e-4, doc: 'Adam learning rate (G and D).' },
  { key: 'beta1', kind: 'float', min: 0, max: 0.999, default: 0.5, doc: 'Adam beta1.' },
  { key: 'beta2', kind: 'float', min: 0, max: 0.9999, default: 0.999, doc: 'Adam beta2.' },
  { key: 'ndis', kind: 'int', min: 1, max: 10, default: 1, doc: 'D updates per G update (n_dis).' },
  {
    key: 'seed',
    kind: 'int',
    min: 0,
    max: 2147483647,
    default: 1,
    doc: 'Seed of initial weights, data order, noise and the fixed sample grid.',
  },
  {
    key: 'norm',
    live: true,
    kind: 'enum',
    values: NORMS,
    default: 'sn',
    doc:
      'Discriminator weight normalization: `none`, `sn` (spectral normalization), `sr-static` / ' +
      '`sr-dynamic` (spectral regularization), `bssn` (bidirectional scaled SN), `wn` (weight ' +
      'normalization), `ortho` (orthonormal regularization), `clip` (weight clipping). Applies live.',
  },
  {
    key: 'sniters',
    live: true,
    kind: 'int',
    min: 1,
    max: 50,
    default: 1,
    doc: 'Power iterations per D update (sn, bssn, sr-static, sr-dynamic).',
  },
  {
    key: 'snwarmup',
    kind: 'int',
    min: 0,
    max: 50,
    default: 0,
    doc:
      "Extra power iterations at a method's first D update, from the random u (sn, bssn, " +
      "sr-static, sr-dynamic); PyTorch's spectral_norm parametrization runs 15 at registration. 0 " +
      "is the SN paper's algorithm: one iteration per update from the start, so the first effective " +
      'sigmas are only estimates.',
  },
  {
    key: 'bssnc',
    live: true,
    kind: 'float',
    min: 0.1,
    max: 10,
    default: 1,
    doc: 'BSSN scale c: W_bar = c W / mean of the two sigmas (1 is BSN; the authors swept 0.7-4.0 on CIFAR-10).',
  },
  {
    key: 'srfrac',
    live: true,
    kind: 'float',
    min: 0,
    max: 1,
    default: 0.5,
    doc:
      "SR: fraction of each conv layer's N singular values compensated, k = floor(srfrac N) (the " +
      "authors' code: N/2).",
  },
  {
    key: 'srevery',
    live: true,
    kind: 'int',
    min: 1,
    max: 1000,
    default: 5,
    doc: "SR runs after each D update of every srevery-th G iteration (the authors' code: 5).",
  },
  {
    key: 'srlayers',
    live: true,
    kind: 'enum',
    values: SR_LAYERS,
    default: 'conv',
    doc:
      "Which D layers SR compensates: `conv` (the authors' code: conv layers only, dense layers " +
      "get plain SN) or `all` (dense layers too: not in the authors' code, an extension for " +
      'all-dense models such as the 2-D toy MLP).',
  },
  {
    key: 'orthobeta',
    live: true,
    kind: 'float',
    min: 0,
    max: 1,
    default: 0.0001,
    doc:
      'Orthonormal regularization: D loss += orthobeta * sum over layers |W W^T - I|_F^2 (1e-4, ' +
      'the scale BigGAN used).',
  },
  {
    key: 'clipc',
    live: true,
    kind: 'float',
    min: 0.0001,
    max: 1,
    default: 0.01,
    doc: "Weight clipping: each D weight clipped to [-clipc, clipc] after each D update (the SN paper's 0.01).",
  },
  {
    key: 'schedule',
    kind: 'schedule',
    default: NO_SCHEDULE,
    doc:
      'Planned normalization switches, comma list of iteration:method (e.g. `40000:sr-dynamic`); ' +
      'each applies at the start of that G iteration and replays when the link is opened.',
  },
  {
    key: 'backend',
    newWorker: true,
    kind: 'enum',
    values: BACKENDS,
    default: 'auto',
    doc:
      'tfjs backend: `auto` times webgpu, webgl and cpu on this model (a few iterations each, once per ' +
      'model shape and device) and trains on the fastest; or one of them forced (falling back to a slower one).',
  },
  {
    key: 'every',
    live: true,
    kind: 'int',
    min: 1,
    max: 1000,
    default: 5,
    doc: 'Iterations between metric and sample read-backs from the GPU.',
  },
  {
    key: 'spectra',
    live: true,
    kind: 'int',
    min: 0,
    max: 100000,
    default: 100,
    doc:
      'Iterations between exact spectra (every singular value of every D layer, in float64 off ' +
      'the main thread); 0 turns them off.',
  },
  {
    key: 'collapsedrop',
    live: true,
    kind: 'float',
    min: 0.01,
    max: 0.99,
    default: 0.5,
    doc:
      'Collapse alarm: a layer alarms when its collapse indicator falls below (1 - collapsedrop) ' +
      'times its peak over the previous collapsewindow snapshots.',
  },
  {
    key: 'collapsewindow',
    live: true,
    kind: 'int',
    min: 1,
    max: 1000,
    default: 10,
    doc: 'Collapse alarm: how many previous spectrum snapshots the recent peak is taken over.',
  },
  {
    key: 'collapsepersist',
    kind: 'int',
    min: 1,
    max: 1000,
    default: 8,
    doc:
      'Collapse alarm: how many spectrum snapshots in a row the drop must hold before the alarm ' +
      "fires. A fresh D's indicator dips in its first hundred iterations and a healthy run climbs " +
      'back within several hundred more; 8 had the fewest wrong calls on 28 recorded toy runs and ' +
      'was then checked on 14 held-out ones (docs/experiments.md); 1 alarms at the first low snapshot.',
  },
  {
    key: 'proxy',
    live: true,
    kind: 'enum',
    values: PROXY_RECIPE_NAMES,
    default: 'default',
    doc:
      'Recipe of the proxy net, the small classifier behind the IS/FID/KID proxies: `default` (5 ' +
      'convs, 128-d features, 8 epochs; for a GPU) or `tiny` (3 convs, 32-d features, 4 epochs; for ' +
      "software GPUs and tests). It is trained in the page on the run's data (dataset, classes, " +
      'subset) and cached in the browser.',
  },
  {
    key: 'proxyevery',
    live: true,
    kind: 'int',
    min: 0,
    max: 100000,
    default: 500,
    doc:
      'Iterations between sample-quality evaluations (IS/FID/KID proxies and class coverage of N ' +
      'generated images); 0 turns them off. The proxy net trains when the first evaluation is due, ' +
      'unless it is cached.',
  },
  {
    key: 'proxyn',
    live: true,
    kind: 'int',
    min: 16,
    max: 10000,
    default: 500,
    doc:
      'N, the generated images per evaluation (from a fixed set of latent vectors) and the real ' +
      'images of each reference; FID and KID are comparable only at the same N. Capped at the ' +
      'number of training and held-out images.',
  },
] as const satisfies readonly FieldDecl[];
