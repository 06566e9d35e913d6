// The training loop, top to bottom in one place: n_dis D updates (each after advancing the
// normalization's persistent state), then one G update. GPU work is only enqueued here; values come
// back in one packed read every few iterations (readMetrics), so the loop never waits on the GPU.
import * as tf from '@tensorflow/tfjs';
import type { GanConfig } from '../config/schema';
import { BatchSampler, fillBatch } from '../data/batch-sampler';
import { SeededRandom, deriveSeed } from '../data/seeded-random';
import { isPointSet, sampleShapeOf, sampleSize, type SampleShape, type TrainingSet } from '../data/types';
import { architectureFor } from '../models/architecture';
import { Discriminator } from '../models/discriminator';
import { Generator } from '../models/generator';
import { countParameters } from '../models/parameters';
import { NormalizerBank } from './normalizer-bank';
import { SigmaMonitors } from './sigma-monitors';
import type { LayerNormalizer } from '../normalize/types';
import { discriminatorLoss, generatorLoss } from './losses';
import { FixedLatents, POINT_SAMPLE_COUNT } from './fixed-latents';
import type { GeneratorSpec, LiveSettings, MetricsPoint, NormSwitch, SampleGrid, TrainerInfo } from './types';
import type { WeightSnapshot } from '../metrics/types';
import { readWeightSnapshot } from './discriminator-weights';
import { assignWeights } from './assign-weights';
import { generateEvaluationImages } from './evaluation-images';
import { checkCheckpoint, type TrainerCheckpoint } from './checkpoint';
import { loadCheckpointParts, takeCheckpoint, type CheckpointParts, type RecordedTensors } from './trainer-checkpoint';
import { inputGradientStats } from './lipschitz-probe';
import { layerGradientSquares, packReadback, unpackReadback } from './readback-pack';
import { computeToyField, type FieldWindow, type ToyField } from './toy-field';
import { isReadBackDue } from './readback-schedule';
import { FusedAdamOptimizer } from './fused-adam-optimizer';

export { POINT_SAMPLE_COUNT } from './fixed-latents';

export class GanTrainer {
  readonly info: TrainerInfo;
  private config: GanConfig;
  private readonly generator: Generator;
  private readonly discriminator: Discriminator;
  /** Normalizers per method, created on first use so switching back resumes a method's state. */
  private readonly normalizers: NormalizerBank;
  /** Power iterations for the read-back's raw and effective sigmas. */
  private readonly monitors: SigmaMonitors;
  private readonly dOptimizer: tf.AdamOptimizer;
  private readonly gOptimizer: tf.AdamOptimizer;
  private sampler: BatchSampler;
  /** Seeds of the per-update noise z, one stream for the whole run. */
  private readonly noiseRandom: SeededRandom;
  private readonly fixed: FixedLatents;
  private readonly realBatch: Float32Array;
  /** One sample's shape, from the data: [32, 32, 3] for images, [2] for the toy points. */
  private readonly sampleShape: SampleShape;
  /** The last losses, and the last recorded D update's gradient norms and |grad_x D|, on the GPU. */
  private recorded: RecordedTensors = { dLoss: null, gLoss: null, gradSquares: null, inputGradients: null };
  private iterationsDone = 0;
  private readonly switches: NormSwitch[] = [];
  /**
   * Records |grad_x D| at read-back iterations (chart-lipschitz). On by default; a benchmark turns it
   * off to measure its cost, and readMetrics then reports NaN for those four statistics.
   */
  probeInputGradients = true;

  private constructor(
    config: GanConfig,
    private readonly data: TrainingSet,
  ) {
    this.config = config;
    this.sampleShape = sampleShapeOf(data);
    const arch = architectureFor(config.arch, this.sampleShape);
    this.generator = new Generator(arch, config.gch, config.zdim, config.seed, this.sampleShape);
    this.discriminator = new Discriminator(arch, config.ch, config.seed, this.sampleShape);
    this.normalizers = new NormalizerBank(this.discriminator.layers, config.seed, config);
    this.monitors = new SigmaMonitors(this.discriminator.layers, config.seed);
    // tfjs's Adam; on webgpu one fused dispatch per variable (fused-adam-optimizer.ts).
    this.dOptimizer = new FusedAdamOptimizer(config.lr, config.beta1, config.beta2);
    this.gOptimizer = new FusedAdamOptimizer(config.lr, config.beta1, config.beta2);
    this.sampler = new BatchSampler(data.count, config.batch, deriveSeed(config.seed, 1));
    this.noiseRandom = new SeededRandom(deriveSeed(config.seed, 2));
    this.fixed = new FixedLatents(data, config.zdim, config.seed);
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
    this.normalizers.setSettings(this.config);
  }

  /** Every change of the D normalization so far, with the G iteration it took effect at. */
  get normSwitches(): readonly NormSwitch[] {
    return this.switches;
  }

  /**
   * One G iteration: n_dis D updates, then one G update. A scheduled switch applies first. The last
   * D update records per-layer gradient norms when `recordGradients` (a read-back follows): about 40
   * small kernels, not paid otherwise. TrainingSession decides; the default (its rule) serves benches, tests.
   */
  trainIteration(recordGradients = isReadBackDue(this.iterationsDone + 1, this.config.every)): void {
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
    const { value: dLoss, grads } = tf.variableGrads(() => {
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
    }, this.discriminator.variables);
    if (recordGradients) {
      this.recorded.gradSquares?.dispose();
      this.recorded.gradSquares = layerGradientSquares(this.discriminator.layers, grads);
      this.recorded.inputGradients?.dispose();
      this.recorded.inputGradients = this.probeInputGradients ? this.inputGradients(normalizers, real, z) : null;
    }
    // Through the base class's signature: AdamOptimizer declares variables but reads gradients.
    (this.dOptimizer as tf.Optimizer).applyGradients(grads);
    tf.dispose(grads);
    real.dispose();
    z.dispose();
    const context = { gIteration: this.iterationsDone };
    this.discriminator.layers.forEach((layer, l) => normalizers[l].afterDiscriminatorUpdate(layer.weight, context));
    this.recorded.dLoss?.dispose();
    this.recorded.dLoss = dLoss;
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
    this.recorded.gLoss?.dispose();
    this.recorded.gLoss = gLoss;
  }

  /** Waits until the GPU has finished the enqueued work (reads one number back); for timing. */
  async flush(): Promise<void> {
    await Promise.all([this.recorded.dLoss?.data(), this.recorded.gLoss?.data()]);
  }

  /** |grad_x D(x)| statistics on this update's real batch and on G(z), with this update's effective weights. */
  private inputGradients(normalizers: readonly LayerNormalizer[], real: tf.Tensor, z: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const weights = this.effectiveWeights(normalizers);
      const forward = (samples: tf.Tensor) => this.discriminator.apply(samples, weights);
      return tf.concat([
        inputGradientStats(forward, real),
        inputGradientStats(forward, this.generator.apply(z)),
      ]) as tf.Tensor1D;
    });
  }

  /** Losses, per-layer sigma and gradient norms in one GPU read-back. */
  async readMetrics(seconds: number): Promise<MetricsPoint> {
    const normalizers = this.activeNormalizers();
    const layerCount = this.discriminator.layers.length;
    const { dLoss, gLoss, gradSquares, inputGradients } = this.recorded;
    const packed = tf.tidy(() => {
      const effective = this.effectiveWeights(normalizers);
      return packReadback({
        dLoss: dLoss ?? tf.scalar(NaN),
        gLoss: gLoss ?? tf.scalar(NaN),
        sigmas: this.monitors.rawSigmas(normalizers),
        gradSquares: gradSquares ?? tf.fill([layerCount], NaN),
        inputGradients: inputGradients ?? tf.fill([4], NaN),
        effectiveSigmas: this.monitors.effectiveSigmas(effective),
      });
    });
    const values = await packed.data();
    packed.dispose();
    return unpackReadback(values, layerCount, {
      iteration: this.iterationsDone,
      seconds,
      hasDLoss: dLoss !== null,
      hasGLoss: gLoss !== null,
    });
  }

  /** Replaces every D layer's raw weight (layer order, tfjs layout): a test's chosen spectra, a NaN. */
  loadDiscriminatorWeights(weights: readonly Float32Array[]): void {
    assignWeights(
      this.discriminator.layers.map((layer) => layer.weight),
      weights,
      'loadDiscriminatorWeights',
    );
  }

  /**
   * Every D layer's raw and effective weight, read back for an exact decomposition elsewhere (the
   * spectrum worker, or inline in headless runs). The arrays are fresh copies, safe to transfer.
   */
  readWeights(): Promise<WeightSnapshot> {
    const effective = tf.tidy(() => this.effectiveWeights(this.activeNormalizers()));
    return readWeightSnapshot(this.discriminator.layers, effective, {
      iteration: this.iterationsDone,
      norm: this.config.norm,
      bssnScale: this.config.bssnc,
    });
  }

  /**
   * Generated samples for the fixed latent vectors, as RGBA for the page's canvas: an 8x8 grid of
   * images, or for 2-D data a 256x256 scatter plot of the 2500 fixed-z points over the real pool.
   */
  renderSamples(): Promise<SampleGrid> {
    return this.fixed.render(this.generator, this.iterationsDone);
  }

  /**
   * Generated points [n, 2] (x0, y0, x1, y1, ...) for the first n of the 2500 fixed latent vectors
   * (seeded by `seed`), so successive calls follow the same z as training goes on. 2-D data only.
   */
  samplePoints(n = POINT_SAMPLE_COUNT): Promise<Float32Array> {
    return this.fixed.points(this.generator, n);
  }

  /**
   * 2-D data: D's logits over `window` and the G loss's descent direction at the first `arrowCount`
   * fixed-z generated points (toy-field.ts), for the heat map and arrows behind the scatter.
   */
  async toyField(window: FieldWindow, arrowCount: number): Promise<ToyField> {
    if (!isPointSet(this.data))
      throw new Error(`toyField is for the 2-D toy data sets; this run trains on images (${this.data.name})`);
    const normalizers = this.activeNormalizers();
    const weights = tf.tidy(() => this.effectiveWeights(normalizers));
    const points = this.fixed.generate(this.generator, arrowCount);
    try {
      return await computeToyField(
        window,
        points,
        (samples) => this.discriminator.apply(samples, weights),
        (logits) => generatorLoss(this.config.loss, logits),
      );
    } finally {
      points.dispose();
      tf.dispose(weights.filter((weight, i) => weight !== this.discriminator.layers[i].weight));
    }
  }

  /**
   * N generated images for the run's fixed evaluation latents (see evaluation-images.ts). Images only.
   */
  async generateImages(n: number): Promise<Float32Array> {
    if (isPointSet(this.data))
      throw new Error(`generateImages is for image data; this run trains on 2-D points (${this.data.name})`);
    return generateEvaluationImages(this.generator, this.config.seed, n);
  }

  /**
   * Everything needed to continue this run exactly (see checkpoint.ts), as copies. Take it between
   * iterations; GanTrainer.restore builds a trainer that goes on as this one would.
   */
  checkpoint(): Promise<TrainerCheckpoint> {
    const { config, iterationsDone: iteration, switches, recorded } = this;
    return takeCheckpoint(this.checkpointParts(), {
      config,
      iteration,
      switches,
      sampler: this.sampler.position(),
      recorded,
    });
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

  /** Takes over a checkpoint's parts and position (the trainer is fresh, built from its config). */
  private async loadCheckpoint(checkpoint: TrainerCheckpoint): Promise<void> {
    const run = await loadCheckpointParts(this.checkpointParts(), checkpoint);
    const { batch, seed } = this.config;
    this.sampler = new BatchSampler(this.data.count, batch, deriveSeed(seed, 1), run.sampler);
    this.iterationsDone = run.iteration;
    this.switches.push(...run.switches);
    this.recorded = run.recorded;
  }

  private checkpointParts(): CheckpointParts {
    const { generator, discriminator, dOptimizer, gOptimizer, normalizers, monitors, noiseRandom } = this;
    return { generator, discriminator, dOptimizer, gOptimizer, normalizers, monitors, noiseRandom };
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
    this.normalizers.dispose();
    this.monitors.dispose();
    tf.dispose(Object.values(this.recorded).filter((t): t is tf.Tensor => t !== null));
    this.dOptimizer.dispose();
    this.gOptimizer.dispose();
    this.fixed.dispose();
  }

  private activeNormalizers(): LayerNormalizer[] {
    return this.normalizers.of(this.config.norm);
  }

  private effectiveWeights(normalizers: readonly LayerNormalizer[]): tf.Tensor[] {
    return this.normalizers.effectiveWeights(normalizers);
  }

  private nextRealBatch(): tf.Tensor {
    fillBatch(this.data, this.sampler.next(), this.realBatch);
    return tf.tensor(this.realBatch, [this.config.batch, ...this.sampleShape]);
  }

  private noise(): tf.Tensor2D {
    return tf.randomNormal([this.config.batch, this.config.zdim], 0, 1, 'float32', this.noiseRandom.nextUint32());
  }
}
