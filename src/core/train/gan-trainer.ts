// The training loop, top to bottom in one place: n_dis D updates (each after advancing the
// normalization's persistent state), then one G update. GPU work is only enqueued here; values come
// back in one packed read every few iterations (readMetrics), so the loop never waits on the GPU.
import * as tf from '@tensorflow/tfjs';
import type { GanConfig, NormName } from '../config/schema';
import { BatchSampler, fillBatch } from '../data/batch-sampler';
import { SeededRandom, deriveSeed } from '../data/seeded-random';
import { isPointSet, sampleShapeOf, sampleSize, type SampleShape, type TrainingSet } from '../data/types';
import { architectureFor } from '../models/architecture';
import { Discriminator } from '../models/discriminator';
import { Generator } from '../models/generator';
import { countParameters } from '../models/parameters';
import { PowerIterationState } from '../normalize/power-iteration-state';
import { createNormalizer } from '../normalize/registry';
import { normalizerSettings } from '../normalize/settings';
import type { LayerNormalizer } from '../normalize/types';
import { discriminatorLoss, generatorLoss } from './losses';
import { renderPointScatter, renderSampleGrid } from './sample-grid';
import type { GeneratorSpec, LiveSettings, MetricsPoint, NormSwitch, SampleGrid, TrainerInfo } from './types';
import type { WeightSnapshot } from '../metrics/types';
import { generateEvaluationImages } from './evaluation-images';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, checkCheckpoint, readOptimizer, writeOptimizer, type TrainerCheckpoint } from './checkpoint';
import type { NormalizerState } from '../normalize/persistent-state';

/** The fixed latent vectors behind the sample grid: 8 x 8 images. */
const SAMPLE_GRID_SIDE = 8;
/** Fixed latent vectors for 2-D data: 2500, the mode-counting protocol's sample size (VEEGAN, PacGAN). */
export const POINT_SAMPLE_COUNT = 2500;
/** Warm-started power iterations per read-back for the sigma monitor (used when the method keeps no sigma). */
const MONITOR_ITERATIONS = 2;

export class GanTrainer {
  readonly info: TrainerInfo;
  private config: GanConfig;
  private readonly generator: Generator;
  private readonly discriminator: Discriminator;
  /** Normalizers per method, created on first use so switching back resumes a method's state. */
  private readonly normalizers = new Map<NormName, LayerNormalizer[]>();
  private readonly sigmaMonitors: PowerIterationState[];
  private readonly dOptimizer: tf.AdamOptimizer;
  private readonly gOptimizer: tf.AdamOptimizer;
  private sampler: BatchSampler;
  /** Seeds of the per-update noise z, one stream for the whole run. */
  private readonly noiseRandom: SeededRandom;
  private readonly fixedNoise: tf.Tensor2D;
  private readonly realBatch: Float32Array;
  /** One sample's shape, from the data: [32, 32, 3] for images, [2] for the toy points. */
  private readonly sampleShape: SampleShape;
  private lastDLoss: tf.Scalar | null = null;
  private lastGLoss: tf.Scalar | null = null;
  /** Squared gradient norm per D layer at the last recorded D update, still on the GPU. */
  private lastGradSquares: tf.Tensor1D | null = null;
  private iterationsDone = 0;
  private readonly switches: NormSwitch[] = [];

  private constructor(config: GanConfig, private readonly data: TrainingSet) {
    this.config = config;
    this.sampleShape = sampleShapeOf(data);
    const arch = architectureFor(config.arch, this.sampleShape);
    this.generator = new Generator(arch, config.gch, config.zdim, config.seed, this.sampleShape);
    this.discriminator = new Discriminator(arch, config.ch, config.seed, this.sampleShape);
    this.sigmaMonitors = this.discriminator.layers.map(
      (layer, i) => new PowerIterationState(layer.weight.shape, deriveSeed(config.seed, 300 + i)),
    );
    this.dOptimizer = tf.train.adam(config.lr, config.beta1, config.beta2);
    this.gOptimizer = tf.train.adam(config.lr, config.beta1, config.beta2);
    this.sampler = new BatchSampler(data.count, config.batch, deriveSeed(config.seed, 1));
    this.noiseRandom = new SeededRandom(deriveSeed(config.seed, 2));
    this.fixedNoise = tf.randomNormal(
      [isPointSet(data) ? POINT_SAMPLE_COUNT : SAMPLE_GRID_SIDE * SAMPLE_GRID_SIDE, config.zdim],
      0,
      1,
      'float32',
      deriveSeed(config.seed, 3),
    );
    this.realBatch = new Float32Array(config.batch * sampleSize(this.sampleShape));
    this.info = {
      backend: tf.getBackend(),
      layerNames: this.discriminator.layers.map((l) => l.name),
      parameterCount: {
        generator: countParameters(this.generator.variables),
        discriminator: countParameters(this.discriminator.variables),
      },
      datasetName: data.name,
      datasetCount: data.count,
      sampleShape: [...this.sampleShape],
      arch,
    };
  }

  /** Builds models with seeded initial weights; call after the tfjs backend is selected. */
  static create(config: GanConfig, data: TrainingSet): GanTrainer {
    if (data.count === 0) throw new Error('the data set is empty: choose other classes or a larger subset');
    return new GanTrainer(config, data);
  }

  get iteration(): number {
    return this.iterationsDone;
  }

  get currentConfig(): GanConfig {
    return this.config;
  }

  /** Settings that take effect at the next D update without a reset. */
  applyLiveSettings(changes: Partial<LiveSettings>): void {
    const previousNorm = this.config.norm;
    this.config = { ...this.config, ...changes };
    if (this.config.norm !== previousNorm) {
      this.switches.push({ iteration: this.iterationsDone, from: previousNorm, to: this.config.norm });
    }
    for (const layerNormalizers of this.normalizers.values()) {
      for (const n of layerNormalizers) n.setSettings(normalizerSettings(this.config));
    }
  }

  /** Every change of the D normalization so far, with the G iteration it took effect at. */
  get normSwitches(): readonly NormSwitch[] {
    return this.switches;
  }

  /**
   * One G iteration: n_dis D updates, then one G update. A scheduled switch applies first. The last
   * D update records per-layer gradient norms when a read-back follows this iteration (every
   * `every` iterations, or when `recordGradients` says so): about 40 small kernels, not paid otherwise.
   */
  trainIteration(recordGradients = (this.iterationsDone + 1) % this.config.every === 0): void {
    const scheduled = this.config.schedule.find((entry) => entry.iteration === this.iterationsDone);
    if (scheduled && scheduled.norm !== this.config.norm) this.applyLiveSettings({ norm: scheduled.norm });
    for (let i = 0; i < this.config.ndis; i++) this.discriminatorUpdate(recordGradients && i === this.config.ndis - 1);
    this.generatorUpdate();
    this.iterationsDone++;
  }

  /** One D update: advance the normalization state from the raw weights, then one Adam step on D. */
  discriminatorUpdate(recordGradients = false): void {
    const normalizers = this.activeNormalizers();
    this.discriminator.layers.forEach((layer, l) => normalizers[l].beforeDiscriminatorUpdate(layer.weight));
    const real = this.nextRealBatch();
    const z = this.noise();
    // variableGrads + applyGradients is what minimize does inside; split to see the gradients.
    const { value: dLoss, grads } = tf.variableGrads(
      () => {
        const weights = this.effectiveWeights(normalizers);
        const fake = this.generator.apply(z);
        const loss = discriminatorLoss(
          this.config.loss,
          this.discriminator.apply(real, weights),
          this.discriminator.apply(fake, weights),
        );
        const penalties = this.discriminator.layers
          .map((layer, l) => normalizers[l].penalty(layer.weight))
          .filter((p): p is tf.Scalar => p !== null);
        // Pairwise adds, not tf.addN: webgpu's AddN binds one storage buffer per input and Dawn
        // allows 8 per shader stage, so 9+ inputs give an invalid pipeline and a stale result.
        return penalties.reduce((total, penalty) => tf.add(total, penalty), loss);
      },
      this.discriminator.variables,
    );
    if (recordGradients) {
      this.lastGradSquares?.dispose();
      this.lastGradSquares = this.layerGradientSquares(grads);
    }
    // Through the base class's signature: AdamOptimizer declares variables but reads gradients.
    (this.dOptimizer as tf.Optimizer).applyGradients(grads);
    tf.dispose(grads);
    real.dispose();
    z.dispose();
    const context = { gIteration: this.iterationsDone };
    this.discriminator.layers.forEach((layer, l) => normalizers[l].afterDiscriminatorUpdate(layer.weight, context));
    this.lastDLoss?.dispose();
    this.lastDLoss = dLoss;
  }

  /** One G update through the current D (its normalization state is used, not advanced). */
  generatorUpdate(): void {
    const normalizers = this.activeNormalizers();
    const z = this.noise();
    const gLoss = this.gOptimizer.minimize(
      () => {
        const weights = this.effectiveWeights(normalizers);
        return generatorLoss(this.config.loss, this.discriminator.apply(this.generator.apply(z), weights));
      },
      true,
      this.generator.variables,
    );
    z.dispose();
    this.lastGLoss?.dispose();
    this.lastGLoss = gLoss;
  }

  /** Waits until the GPU has finished the enqueued work (reads one number back); for timing. */
  async flush(): Promise<void> {
    await Promise.all([this.lastDLoss?.data(), this.lastGLoss?.data()]);
  }

  /** Squared gradient norm of each D layer (weight and bias together), stacked in layer order. */
  private layerGradientSquares(grads: tf.NamedTensorMap): tf.Tensor1D {
    return tf.tidy(() =>
      tf.stack(
        this.discriminator.layers.map((layer) => {
          const weightPart = tf.sum(tf.square(grads[layer.weight.name]));
          return layer.bias ? tf.add(weightPart, tf.sum(tf.square(grads[layer.bias.name]))) : weightPart;
        }),
      ) as tf.Tensor1D,
    );
  }

  /** Losses, per-layer sigma and gradient norms in one GPU read-back. */
  async readMetrics(seconds: number): Promise<MetricsPoint> {
    const normalizers = this.activeNormalizers();
    const layerCount = this.discriminator.layers.length;
    const packed = tf.tidy(() => {
      const sigmas = this.discriminator.layers.map((layer, l) => {
        const own = normalizers[l].sigmaEstimate();
        if (own) return own;
        this.sigmaMonitors[l].advance(layer.weight, MONITOR_ITERATIONS);
        return this.sigmaMonitors[l].sigma;
      });
      const losses = [this.lastDLoss ?? tf.scalar(NaN), this.lastGLoss ?? tf.scalar(NaN)];
      const gradSquares = this.lastGradSquares ?? tf.fill([layerCount], NaN);
      return tf.concat([tf.stack([...losses, ...sigmas]), gradSquares]);
    });
    const values = await packed.data();
    packed.dispose();
    const gradNorms = Array.from(values.slice(2 + layerCount), Math.sqrt);
    return {
      iteration: this.iterationsDone,
      seconds,
      dLoss: this.lastDLoss ? values[0] : NaN,
      gLoss: this.lastGLoss ? values[1] : NaN,
      sigmas: Array.from(values.slice(2, 2 + layerCount)),
      gradNorms,
      gradNormTotal: Math.sqrt(gradNorms.reduce((sum, norm) => sum + norm * norm, 0)),
    };
  }

  /** Replaces every D layer's raw weight (layer order, tfjs layout): restoring a checkpoint, or a test's chosen spectra. */
  loadDiscriminatorWeights(weights: readonly Float32Array[]): void {
    const layers = this.discriminator.layers;
    if (weights.length !== layers.length) throw new Error(`expected ${layers.length} D weights, got ${weights.length}`);
    layers.forEach((layer, i) => {
      if (weights[i].length !== layer.weight.size) {
        throw new Error(`D layer ${layer.name}: expected ${layer.weight.size} values, got ${weights[i].length}`);
      }
      tf.tidy(() => layer.weight.assign(tf.tensor(weights[i], layer.weight.shape)));
    });
  }

  /**
   * Every D layer's raw and effective weight, read back for an exact decomposition elsewhere (the
   * spectrum worker, or inline in headless runs). The arrays are fresh copies, safe to transfer.
   */
  async readWeights(): Promise<WeightSnapshot> {
    const normalizers = this.activeNormalizers();
    const effective = tf.tidy(() => this.effectiveWeights(normalizers));
    const layers = this.discriminator.layers;
    // Copies: the CPU backend's data() hands out its own storage, which a transfer would detach.
    const copy = async (tensor: tf.Tensor) => new Float32Array(await tensor.data());
    const [raws, effectives] = await Promise.all([
      Promise.all(layers.map((layer) => copy(layer.weight))),
      Promise.all(effective.map(copy)),
    ]);
    // Methods without a reparametrization (none, ortho, clip) hand back the raw variable itself.
    tf.dispose(effective.filter((weight, i) => weight !== layers[i].weight));
    return {
      iteration: this.iterationsDone,
      norm: this.config.norm,
      bssnScale: this.config.bssnc,
      layers: layers.map((layer, i) => ({
        name: layer.name,
        kind: layer.kind,
        shape: [...layer.weight.shape],
        raw: raws[i],
        effective: effectives[i],
      })),
    };
  }

  /**
   * Generated samples for the fixed latent vectors, as RGBA for the page's canvas: an 8x8 grid of
   * images, or for 2-D data a 256x256 scatter plot of the 2500 fixed-z points over the real pool.
   */
  async renderSamples(): Promise<SampleGrid> {
    if (isPointSet(this.data)) {
      return renderPointScatter(await this.samplePoints(POINT_SAMPLE_COUNT), this.data, this.iterationsDone);
    }
    const images = tf.tidy(() => this.generator.apply(this.fixedNoise));
    const values = await images.data();
    images.dispose();
    return renderSampleGrid(values as Float32Array, SAMPLE_GRID_SIDE, this.iterationsDone);
  }

  /**
   * Generated points [n, 2] (x0, y0, x1, y1, ...) for the first n of the 2500 fixed latent vectors
   * (seeded by `seed`), so successive calls follow the same z as training goes on. 2-D data only.
   */
  async samplePoints(n = POINT_SAMPLE_COUNT): Promise<Float32Array> {
    if (!isPointSet(this.data)) {
      throw new Error(`samplePoints is for the 2-D toy data sets; this run trains on images (${this.data.name})`);
    }
    if (!Number.isInteger(n) || n < 1 || n > POINT_SAMPLE_COUNT) {
      throw new RangeError(`samplePoints: n must be an integer 1-${POINT_SAMPLE_COUNT}, got ${n}`);
    }
    const points = tf.tidy(() => this.generator.apply(tf.slice(this.fixedNoise, [0, 0], [n, this.config.zdim])));
    // A copy: the CPU backend's data() hands out its own storage.
    const values = new Float32Array(await points.data());
    points.dispose();
    return values;
  }

  /**
   * N generated images for the run's fixed evaluation latents (see evaluation-images.ts). Images only.
   */
  async generateImages(n: number): Promise<Float32Array> {
    if (isPointSet(this.data)) throw new Error(`generateImages is for image data; this run trains on 2-D points (${this.data.name})`);
    return generateEvaluationImages(this.generator, this.config.seed, n);
  }

  /**
   * Everything needed to continue this run exactly (see checkpoint.ts), as copies. Take it between
   * iterations; GanTrainer.restore builds a trainer that goes on as this one would.
   */
  async checkpoint(): Promise<TrainerCheckpoint> {
    const copy = async (tensor: tf.Tensor) => new Float32Array(await tensor.data());
    const normalizers: TrainerCheckpoint['normalizers'] = {};
    for (const [method, layers] of this.normalizers) normalizers[method] = await Promise.all(layers.map((n) => n.saveState()));
    return {
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      config: { ...this.config, classes: [...this.config.classes], schedule: this.config.schedule.map((e) => ({ ...e })) },
      iteration: this.iterationsDone,
      switches: this.switches.map((s) => ({ ...s })),
      generator: await this.generator.readWeights(),
      discriminator: await Promise.all(this.discriminator.variables.map(copy)),
      dOptimizer: await readOptimizer(this.dOptimizer),
      gOptimizer: await readOptimizer(this.gOptimizer),
      normalizers,
      sigmaMonitors: await Promise.all(this.sigmaMonitors.map((m) => m.saveState())),
      sampler: this.sampler.position(),
      noiseState: this.noiseRandom.state32,
      lastDLoss: this.lastDLoss ? (await this.lastDLoss.data())[0] : null,
      lastGLoss: this.lastGLoss ? (await this.lastGLoss.data())[0] : null,
      lastGradSquares: this.lastGradSquares ? Array.from(await this.lastGradSquares.data()) : null,
    };
  }

  /** A trainer that continues the checkpointed run on `data` (the same data set it was trained on). */
  static async restore(data: TrainingSet, checkpoint: TrainerCheckpoint): Promise<GanTrainer> {
    checkCheckpoint(checkpoint);
    const trainer = GanTrainer.create(checkpoint.config, data);
    try {
      await trainer.loadCheckpoint(checkpoint);
    } catch (error) {
      trainer.dispose();
      throw error;
    }
    return trainer;
  }

  private async loadCheckpoint(checkpoint: TrainerCheckpoint): Promise<void> {
    this.generator.loadWeights(checkpoint.generator);
    const dVariables = this.discriminator.variables;
    if (checkpoint.discriminator.length !== dVariables.length) {
      throw new Error(`checkpoint: ${checkpoint.discriminator.length} D weights for a D of ${dVariables.length}`);
    }
    dVariables.forEach((v, i) => {
      if (checkpoint.discriminator[i].length !== v.size) throw new Error(`checkpoint: D weight ${i} has ${checkpoint.discriminator[i].length} values, expected ${v.size}`);
      tf.tidy(() => v.assign(tf.tensor(checkpoint.discriminator[i], v.shape)));
    });
    await writeOptimizer(this.dOptimizer, checkpoint.dOptimizer);
    await writeOptimizer(this.gOptimizer, checkpoint.gOptimizer);
    const active = this.config.norm;
    for (const [method, states] of Object.entries(checkpoint.normalizers) as [NormName, NormalizerState[]][]) {
      this.config = { ...this.config, norm: method };
      const layers = this.activeNormalizers();
      if (states.length !== layers.length) throw new Error(`checkpoint: ${states.length} ${method} states for ${layers.length} layers`);
      layers.forEach((n, i) => n.loadState(states[i]));
    }
    this.config = { ...this.config, norm: active };
    checkpoint.sigmaMonitors.forEach((state, i) => this.sigmaMonitors[i]?.loadState(state));
    this.sampler = new BatchSampler(this.data.count, this.config.batch, deriveSeed(this.config.seed, 1), checkpoint.sampler);
    this.noiseRandom.state32 = checkpoint.noiseState;
    this.iterationsDone = checkpoint.iteration;
    this.switches.push(...checkpoint.switches.map((s) => ({ ...s })));
    this.lastDLoss = checkpoint.lastDLoss === null ? null : tf.scalar(checkpoint.lastDLoss);
    this.lastGLoss = checkpoint.lastGLoss === null ? null : tf.scalar(checkpoint.lastGLoss);
    this.lastGradSquares = checkpoint.lastGradSquares === null ? null : tf.tensor1d(checkpoint.lastGradSquares);
  }

  /** What the proxy worker needs to rebuild this run's generator: its architecture and sizes. */
  get generatorSpec(): GeneratorSpec {
    return { arch: this.info.arch, gch: this.config.gch, zdim: this.config.zdim, seed: this.config.seed };
  }

  /** G's parameters as fresh copies (transferable), for generating evaluation images elsewhere. */
  readGeneratorWeights(): Promise<Float32Array[]> {
    return this.generator.readWeights();
  }

  dispose(): void {
    this.generator.dispose();
    this.discriminator.dispose();
    for (const layerNormalizers of this.normalizers.values()) layerNormalizers.forEach((n) => n.dispose());
    this.sigmaMonitors.forEach((m) => m.dispose());
    this.dOptimizer.dispose();
    this.gOptimizer.dispose();
    this.fixedNoise.dispose();
    this.lastDLoss?.dispose();
    this.lastGLoss?.dispose();
    this.lastGradSquares?.dispose();
  }

  private activeNormalizers(): LayerNormalizer[] {
    const method = this.config.norm;
    let layerNormalizers = this.normalizers.get(method);
    if (!layerNormalizers) {
      layerNormalizers = this.discriminator.layers.map((layer, i) =>
        createNormalizer(
          method,
          { kind: layer.kind, shape: layer.weight.shape },
          deriveSeed(this.config.seed, 200 + i),
          normalizerSettings(this.config),
        ),
      );
      this.normalizers.set(method, layerNormalizers);
    }
    return layerNormalizers;
  }

  private effectiveWeights(normalizers: readonly LayerNormalizer[]): tf.Tensor[] {
    return this.discriminator.layers.map((layer, i) => normalizers[i].effectiveWeight(layer.weight));
  }

  private nextRealBatch(): tf.Tensor {
    fillBatch(this.data, this.sampler.next(), this.realBatch);
    return tf.tensor(this.realBatch, [this.config.batch, ...this.sampleShape]);
  }

  private noise(): tf.Tensor2D {
    return tf.randomNormal([this.config.batch, this.config.zdim], 0, 1, 'float32', this.noiseRandom.nextUint32());
  }
}
