/**
 * WGSL of the fused Adam step (fused-adam-webgpu.ts records these itself, outside tfjs's program
 * generator, because each writes more than one buffer). Complete shaders: bindings, uniforms and
 * entry point are all here.
 *
 * The arithmetic is tfjs's AdamOptimizer.applyGradients, operation for operation and in its order,
 * so that each rounding happens where tfjs's separate elementwise programs round:
 *   m'   = m * beta1 + g * (1 - beta1)
 *   v'   = v * beta2 + (g * g) * (1 - beta2)
 *   x'   = ((m' / (1 - accBeta1)) / (sqrt(v' / (1 - accBeta2)) + eps)) * (-lr) + x
 * The constants (1 - beta1, 1 - beta2, -lr) are computed in float64 on the CPU and rounded to
 * float32 once, as tfjs's scalar tensors are.
 */

/** Threads per workgroup of the per-variable step; one thread per element. */
export const FUSED_ADAM_WORKGROUP_SIZE = 256;

/**
 * Binding order of FUSED_ADAM_STEP_WGSL: three outputs, five inputs (eight storage buffers, Dawn's
 * default per-stage limit), then the uniforms. The uniform struct's field order is the order of the
 * uniform data in fused-adam-webgpu.ts.
 */
export const FUSED_ADAM_STEP_WGSL = /* wgsl */ `
struct Params {
  beta1 : f32,
  beta2 : f32,
  oneMinusBeta1 : f32,
  oneMinusBeta2 : f32,
  negLearningRate : f32,
  epsilon : f32,
  size : u32,
};

@group(0) @binding(0) var<storage, read_write> newValue : array<f32>;
@group(0) @binding(1) var<storage, read_write> newFirstMoment : array<f32>;
@group(0) @binding(2) var<storage, read_write> newSecondMoment : array<f32>;
@group(0) @binding(3) var<storage, read> value : array<f32>;
@group(0) @binding(4) var<storage, read> firstMoment : array<f32>;
@group(0) @binding(5) var<storage, read> secondMoment : array<f32>;
@group(0) @binding(6) var<storage, read> gradient : array<f32>;
// [1 - accBeta1, 1 - accBeta2] of this step, from FUSED_ADAM_ACC_BETA_WGSL.
@group(0) @binding(7) var<storage, read> oneMinusAccBeta : array<f32>;
@group(0) @binding(8) var<uniform> params : Params;

@compute @workgroup_size(${FUSED_ADAM_WORKGROUP_SIZE}, 1, 1)
fn main(
  @builtin(workgroup_id) workgroup : vec3<u32>,
  @builtin(num_workgroups) workgroups : vec3<u32>,
  @builtin(local_invocation_index) local : u32,
) {
  // Workgroups may be spread over y when x would exceed maxComputeWorkgroupsPerDimension.
  let index = (workgroup.y * workgroups.x + workgroup.x) * ${FUSED_ADAM_WORKGROUP_SIZE}u + local;
  if (index >= params.size) {
    return; // the dispatch is rounded up to whole workgroups
  }
  let g = gradient[index];
  let m = firstMoment[index] * params.beta1 + g * params.oneMinusBeta1;
  let v = secondMoment[index] * params.beta2 + (g * g) * params.oneMinusBeta2;
  let mHat = m / oneMinusAccBeta[0];
  let vHat = v / oneMinusAccBeta[1];
  newFirstMoment[index] = m;
  newSecondMoment[index] = v;
  newValue[index] = (mHat / (sqrt(vHat) + params.epsilon)) * params.negLearningRate + value[index];
}
`;

/**
 * Once per optimizer step, one thread: [1 - accBeta1, 1 - accBeta2] for this step's bias
 * correction, and the products for the next step (accBeta * beta, tfjs's update after the loop).
 */
export const FUSED_ADAM_ACC_BETA_WGSL = /* wgsl */ `
struct BetaParams {
  beta1 : f32,
  beta2 : f32,
};

@group(0) @binding(0) var<storage, read_write> oneMinusAccBeta : array<f32>;
@group(0) @binding(1) var<storage, read_write> nextAccBeta1 : array<f32>;
@group(0) @binding(2) var<storage, read_write> nextAccBeta2 : array<f32>;
@group(0) @binding(3) var<storage, read> accBeta1 : array<f32>;
@group(0) @binding(4) var<storage, read> accBeta2 : array<f32>;
@group(0) @binding(5) var<uniform> params : BetaParams;

@compute @workgroup_size(1, 1, 1)
fn main() {
  let a1 = accBeta1[0];
  let a2 = accBeta2[0];
  oneMinusAccBeta[0] = 1.0 - a1;
  oneMinusAccBeta[1] = 1.0 - a2;
  nextAccBeta1[0] = a1 * params.beta1;
  nextAccBeta2[0] = a2 * params.beta2;
}
`;
