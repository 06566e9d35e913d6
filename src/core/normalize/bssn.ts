// Bidirectional scaled spectral normalization (Lin et al. 2021): W_bar = c W / ((sigma1 + sigma2) / 2)
// with sigma1 of the c_out x c_in*kh*kw matrix and sigma2 of the c_in x c_out*kh*kw one, each with
// its own persistent vector, u and v held constant in the gradient. Dense layers and 1x1 convs have
// sigma1 = sigma2 (the two matrices are transposes), so there BSSN is c * SN and SN's state is used.
import * as tf from '@tensorflow/tfjs';
import { bssnNormalizedWeight, bssnPowerIteration, bssnVectorLength } from '../kernels/bssn-power-iteration';
import { spectralNormalizedWeight } from '../kernels/power-iteration';
import { PowerIterationState } from './power-iteration-state';
import type { LayerDescription, LayerNormalizer, NormalizerSettings } from './types';
import { assignSaved, numberOf, readTensors, type NormalizerState } from './persistent-state';
import { WeightVersion } from './weight-version';

/** Persistent state of the two power iterations of a conv weight with a kh*kw > 1 kernel. */
class BidirectionalState {
  /** Packed [u1 (cout); u2 (cin)], each half a unit vector. */
  readonly u: tf.Variable<tf.Rank.R1>;
  /** sigma1, the estimate of sigma(raw W) that sigmaEstimate reports. */
  readonly sigma1: tf.Variable<tf.Rank.R0>;
  /** (sigma1 + sigma2) / 2 as of the last advance. */
  readonly meanSigma: tf.Variable<tf.Rank.R0>;
  /** d meanSigma / dW with u, v constant (W's shape); also <W, D> = meanSigma, linear in W. */
  readonly meanSigmaGradient: tf.Variable;
  /** The weight data the last advance ran on. */
  private readonly version = new WeightVersion();

  constructor(weightShape: readonly number[], seed: number) {
    const cout = weightShape[weightShape.length - 1];
    const cin = weightShape[weightShape.length - 2];
    // Isotropic random unit halves, seeded so runs reproduce (SN paper, Algorithm 1, twice).
    this.u = tf.tidy(() => {
      const raw = tf.randomNormal([bssnVectorLength(weightShape)], 0, 1, 'float32', seed) as tf.Tensor1D;
      const halves = tf.split(raw, [cout, cin]).map((half) => tf.div(half, tf.norm(half)));
      return tf.variable(tf.concat(halves) as tf.Tensor1D, false);
    });
    this.sigma1 = tf.tidy(() => tf.variable(tf.scalar(0), false)); // tidy frees the initial value
    this.meanSigma = tf.tidy(() => tf.variable(tf.scalar(0), false)); // tidy frees the initial value
    // tidy frees the initial value
    this.meanSigmaGradient = tf.tidy(() => tf.variable(tf.zeros([...weightShape]), false));
  }

  advance(raw: tf.Tensor, iterations: number): void {
    tf.tidy(() => {
      const result = bssnPowerIteration(raw, this.u, iterations);
      this.u.assign(result.u);
      this.sigma1.assign(tf.reshape(tf.slice(result.sigma, [0], [1]), []));
      this.meanSigma.assign(tf.mean(result.sigma));
      this.meanSigmaGradient.assign(result.meanSigmaGradient);
    });
    this.version.record(raw);
  }

  /** True when `raw` has not changed since the last advance, so the stored sigma is exact. */
  isCurrentFor(raw: tf.Tensor): boolean {
    return this.version.isCurrentFor(raw);
  }

  get hasEstimate(): boolean {
    return this.version.recorded;
  }

  async saveState(): Promise<NormalizerState> {
    const tensors = await readTensors({
      u: this.u,
      sigma1: this.sigma1,
      meanSigma: this.meanSigma,
      meanSigmaGradient: this.meanSigmaGradient,
    });
    return { tensors, numbers: { recorded: this.version.recorded ? 1 : 0 } };
  }

  loadState(state: NormalizerState): void {
    assignSaved(this.u, state, 'u');
    assignSaved(this.sigma1, state, 'sigma1');
    assignSaved(this.meanSigma, state, 'meanSigma');
    assignSaved(this.meanSigmaGradient, state, 'meanSigmaGradient');
    this.version.restore(numberOf(state, 'recorded') === 1);
  }

  /** The normalized weight the next advance would give, nothing stored (see PowerIterationState.preview). */
  previewWeight(raw: tf.Tensor, iterations: number, scale: number): tf.Tensor {
    return tf.tidy(() => {
      const next = bssnPowerIteration(raw, this.u, iterations);
      return bssnNormalizedWeight(raw, next.meanSigmaGradient, scale, tf.mean(next.sigma) as tf.Scalar).weight;
    });
  }

  dispose(): void {
    tf.dispose([this.u, this.sigma1, this.meanSigma, this.meanSigmaGradient]);
  }
}

/** True when the two BSSN matrices are transposes of each other: dense layers and 1x1 convs. */
export function bssnReducesToSn(layer: LayerDescription): boolean {
  const { shape } = layer;
  const spatial = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return layer.kind === 'dense' || shape.length < 3 || spatial === 1;
}

export class BssnNormalizer implements LayerNormalizer {
  readonly method = 'bssn' as const;
  private readonly state: BidirectionalState | PowerIterationState;
  private settings: NormalizerSettings;

  constructor(layer: LayerDescription, seed: number, settings: NormalizerSettings) {
    this.state = bssnReducesToSn(layer)
      ? new PowerIterationState(layer.shape, seed)
      : new BidirectionalState(layer.shape, seed);
    this.settings = settings;
  }

  beforeDiscriminatorUpdate(raw: tf.Variable): void {
    this.state.advance(raw, this.iterationsNow());
  }

  effectiveWeight(raw: tf.Variable): tf.Tensor {
    const scale = this.settings.bssnScale;
    const state = this.state;
    // Right after the power iteration W is unchanged and the sigmas are known; in the G update W has
    // had an Adam step since, and they are recomputed from the same u, v.
    const current = state.isCurrentFor(raw);
    if (state instanceof PowerIterationState) {
      return tf.tidy(() => {
        const next = state.hasEstimate ? null : state.preview(raw, this.iterationsNow());
        const { weight } = next
          ? spectralNormalizedWeight(raw, next.u, next.v, next.sigma)
          : spectralNormalizedWeight(raw, state.u, state.v, current ? state.sigma : undefined);
        return scale === 1 ? weight : tf.mul(weight, scale);
      });
    }
    if (!state.hasEstimate) return state.previewWeight(raw, this.iterationsNow(), scale);
    // tidy: the returned s is not wanted here.
    return tf.tidy(
      () => bssnNormalizedWeight(raw, state.meanSigmaGradient, scale, current ? state.meanSigma : undefined).weight,
    );
  }

  /** The warm-up's extra iterations come once, at the first advance from the random vectors. */
  private iterationsNow(): number {
    return this.settings.powerIterations + (this.state.hasEstimate ? 0 : this.settings.powerWarmup);
  }

  penalty(): null {
    return null;
  }

  afterDiscriminatorUpdate(): void {}

  sigmaEstimate(): tf.Scalar | null {
    if (!this.state.hasEstimate) return null;
    return this.state instanceof PowerIterationState ? this.state.sigma : this.state.sigma1;
  }

  setSettings(settings: NormalizerSettings): void {
    this.settings = settings;
  }

  saveState(): Promise<NormalizerState> {
    return this.state.saveState();
  }

  loadState(state: NormalizerState): void {
    this.state.loadState(state);
  }

  dispose(): void {
    this.state.dispose();
  }
}
