/**
 * WGSL bodies of the fused bias + batch norm + ReLU programs (batch-norm-relu-webgpu.ts wraps them).
 * Strings rather than .wgsl files, so Node (tsx, vitest) loads them without Vite.
 *
 * x is read as [M, C] row-major (M = product of all dims but the last): NHWC conv outputs and
 * [N, features] dense outputs alike. The input `x` is always bound with shape [M, C], so
 * `uniforms.xShape.x` is M and `uniforms.xShape.y` is C. Per-channel data come packed:
 *   stats [2, C]          mean, biased variance of x + bias (as tf.moments computes them)
 *   gradientSums [4, C]   S1 = sum g, S2 = sum g * xhat, mean, variance  (g = dy * (y > 0))
 * The backward reduction copies mean and variance into its output so the dx program binds one
 * per-channel buffer fewer (6 inputs + the output, under WebGPU's default 8 storage buffers).
 *
 * Reductions (statistics, gradient sums): one dispatch, each workgroup owns `channelsPerWorkgroup`
 * (P) neighbouring channels and WG / P row lanes; thread t handles channel t % P and rows
 * t / P, t / P + WG / P, ...; then a shared-memory tree over the lanes. P > 1 when M is small (the
 * dense layer: M = batch), so small-M workgroups are not mostly idle, and neighbouring threads read
 * neighbouring addresses. The elementwise programs run one thread per element, or per four elements
 * (vec4) when C % 4 == 0.
 */

/** Threads per workgroup of every program here; a power of two (the tree halves it). */
export const BATCH_NORM_RELU_WORKGROUP_SIZE = 64;

export type VectorWidth = 1 | 4;
export type ChannelsPerWorkgroup = 1 | 2 | 4 | 8 | 16;

export const X = 'x';
export const DY = 'dy';
export const BIAS = 'bias';
export const GAMMA = 'gamma';
export const BETA = 'beta';
export const STATS = 'stats';
export const GRADIENT_SUMS = 'gradientSums';
export const PACKED = 'packedRows';

const WG = BATCH_NORM_RELU_WORKGROUP_SIZE;

function vectorType(width: VectorWidth): string {
  return width === 4 ? 'vec4<f32>' : 'f32';
}

/** The bias of channel (or channel vector) `c`, or zero for the programs without a bias input. */
function biasWgsl(hasBias: boolean, width: VectorWidth): string {
  return hasBias ? 'bias[c]' : `${vectorType(width)}(0.0)`;
}

/**
 * The pre-activation gamma * xhat + beta, written once and used by the forward and the backward
 * programs, so that the backward's ReLU mask (pre > 0) is computed exactly as the forward's y.
 */
function preActivationWgsl(width: VectorWidth): string {
  const t = vectorType(width);
  return /* wgsl */ `
fn normalizedValue(value : ${t}, b : ${t}, mean : ${t}, rstd : ${t}) -> ${t} {
  return (value + b - mean) * rstd;
}

fn preActivation(xhat : ${t}, g : ${t}, be : ${t}) -> ${t} {
  return g * xhat + be;
}
`;
}

/**
 * Channel and lane of this thread; a helper that sums `value` over the lanes of each channel.
 * Contains barriers: call it from uniform control flow only (not under `if (inRange)`).
 */
function channelReductionWgsl(p: ChannelsPerWorkgroup, sumType: 'f32' | 'vec2<f32>'): string {
  const lanes = WG / p;
  return /* wgsl */ `
const CHANNELS_PER_WORKGROUP = ${p};
const LANES = ${lanes};

var<workgroup> partialSums : array<${sumType}, ${WG}>;

fn workgroupIndex() -> i32 {
  return i32(workgroupId.x + numWorkgroups.x * (workgroupId.y + numWorkgroups.y * workgroupId.z));
}

fn sumOverLanes(value : ${sumType}) -> ${sumType} {
  let t = localId.x;
  partialSums[t] = value;
  workgroupBarrier();
  for (var stride = ${lanes / 2}u; stride > 0u; stride = stride / 2u) {
    if (t / ${p}u < stride) {
      partialSums[t] = partialSums[t] + partialSums[t + stride * ${p}u];
    }
    workgroupBarrier();
  }
  let total = partialSums[t % ${p}u];
  workgroupBarrier(); // partialSums is reused by the next call
  return total;
}
`;
}

/**
 * Statistics of x + bias per channel, two passes over the workgroup's rows (mean first, then the
 * mean of squared deviations, as tf.moments does: no E[x^2] - E[x]^2 cancellation).
 * Output [2, C]: mean, then biased variance.
 */
export function statisticsWgsl(p: ChannelsPerWorkgroup, hasBias: boolean): string {
  return /* wgsl */ `
${channelReductionWgsl(p, 'f32')}

fn main(index : i32) {
  let rows = uniforms.xShape.x;
  let channels = uniforms.xShape.y;
  let channel = workgroupIndex() * CHANNELS_PER_WORKGROUP + i32(localId.x % ${p}u);
  let lane = i32(localId.x / ${p}u);
  let inRange = channel < channels;
  let c = min(channel, channels - 1);
  let b = ${biasWgsl(hasBias, 1)};
  var sum = 0.0;
  if (inRange) {
    for (var m = lane; m < rows; m = m + LANES) {
      sum = sum + (x[m * channels + c] + b);
    }
  }
  let mean = sumOverLanes(sum) / f32(rows);
  var squares = 0.0;
  if (inRange) {
    for (var m = lane; m < rows; m = m + LANES) {
      let d = x[m * channels + c] + b - mean;
      squares = squares + d * d;
    }
  }
  let variance = sumOverLanes(squares) / f32(rows);
  if (inRange && lane == 0) {
    setOutputAtIndex(c, mean);
    setOutputAtIndex(channels + c, variance);
  }
}
`;
}

/** y = max(0, gamma * (x + b - mean) * rsqrt(var + eps) + beta), one thread per element or vec4. */
export function normalizeReluWgsl(width: VectorWidth, hasBias: boolean): string {
  const t = vectorType(width);
  return /* wgsl */ `
${preActivationWgsl(width)}

fn main(index : i32) {
  if (index < uniforms.size) {
    let channelVectors = uniforms.xShape.y / ${width};
    let c = index % channelVectors;
    let rstd = inverseSqrt(stats[channelVectors + c] + ${t}(uniforms.epsilon));
    let xhat = normalizedValue(x[index], ${biasWgsl(hasBias, width)}, stats[c], rstd);
    setOutputAtIndex(index, max(preActivation(xhat, gamma[c], beta[c]), ${t}(0.0)));
  }
}
`;
}

/**
 * Per channel: S1 = sum g, S2 = sum g * xhat with g = dy * (pre > 0), in one pass (mean and rstd
 * are known). Output [4, C]: S1 (= dbeta), S2 (= dgamma), mean, variance.
 */
export function gradientSumsWgsl(p: ChannelsPerWorkgroup, hasBias: boolean): string {
  return /* wgsl */ `
${preActivationWgsl(1)}
${channelReductionWgsl(p, 'vec2<f32>')}

fn main(index : i32) {
  let rows = uniforms.xShape.x;
  let channels = uniforms.xShape.y;
  let channel = workgroupIndex() * CHANNELS_PER_WORKGROUP + i32(localId.x % ${p}u);
  let lane = i32(localId.x / ${p}u);
  let inRange = channel < channels;
  let c = min(channel, channels - 1);
  let b = ${biasWgsl(hasBias, 1)};
  let mean = stats[c];
  let variance = stats[channels + c];
  let rstd = inverseSqrt(variance + uniforms.epsilon);
  let g = gamma[c];
  let be = beta[c];
  var sums = vec2<f32>(0.0);
  if (inRange) {
    for (var m = lane; m < rows; m = m + LANES) {
      let i = m * channels + c;
      let xhat = normalizedValue(x[i], b, mean, rstd);
      let grad = select(0.0, dy[i], preActivation(xhat, g, be) > 0.0);
      sums = sums + vec2<f32>(grad, grad * xhat);
    }
  }
  let total = sumOverLanes(sums);
  if (inRange && lane == 0) {
    setOutputAtIndex(c, total.x);
    setOutputAtIndex(channels + c, total.y);
    setOutputAtIndex(2 * channels + c, mean);
    setOutputAtIndex(3 * channels + c, variance);
  }
}
`;
}

/** dx = gamma * rstd / M * (M * g - S1 - xhat * S2), one thread per element or vec4. */
export function inputGradientWgsl(width: VectorWidth, hasBias: boolean): string {
  const t = vectorType(width);
  return /* wgsl */ `
${preActivationWgsl(width)}

fn main(index : i32) {
  if (index < uniforms.size) {
    let channelVectors = uniforms.xShape.y / ${width};
    let c = index % channelVectors;
    let rows = f32(uniforms.xShape.x);
    let s1 = gradientSums[c];
    let s2 = gradientSums[channelVectors + c];
    let rstd = inverseSqrt(gradientSums[3 * channelVectors + c] + ${t}(uniforms.epsilon));
    let xhat = normalizedValue(x[index], ${biasWgsl(hasBias, width)}, gradientSums[2 * channelVectors + c], rstd);
    let g = gamma[c];
    let grad = select(${t}(0.0), dy[index], preActivation(xhat, g, beta[c]) > ${t}(0.0));
    setOutputAtIndex(index, g * rstd / rows * (rows * grad - s1 - xhat * s2));
  }
}
`;
}

/** Row `row` of a packed [R, C] buffer: dgamma and dbeta out of the gradient sums. */
export const EXTRACT_ROW_WGSL = /* wgsl */ `
fn main(index : i32) {
  if (index < uniforms.size) {
    setOutputAtIndex(index, ${PACKED}[uniforms.row * uniforms.size + index]);
  }
}
`;
