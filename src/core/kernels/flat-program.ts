// What the power-iteration programs share: a WebGPUProgram with a flat 1-D output, and the uniform
// data that follows its `uniforms` declaration. Only type imports from the backend package
// (power-iteration-webgpu.ts says why).
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

export type ProgramUniforms = Array<{ type: 'int32' | 'float32'; data: number[] }>;

/** One f32 uniform's data (list them in the order of the program's `uniforms`). */
export function f32(value: number): ProgramUniforms[number] {
  return { type: 'float32', data: [value] };
}

/** One i32 uniform's data. */
export function i32(value: number): ProgramUniforms[number] {
  return { type: 'int32', data: [value] };
}

type Triple = [number, number, number];

/** A flat 1-D output of `outputLength` floats; `threads` threads rounded up to whole workgroups. */
export abstract class FlatProgram implements WebGPUProgram {
  abstract variableNames: string[];
  abstract uniforms: string;
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: Triple;
  workgroupSize: Triple;
  size = true;
  variableComponents?: number[];

  constructor(shaderKey: string, outputLength: number, threads: number, workgroupSize: number) {
    this.shaderKey = shaderKey;
    this.outputShape = [outputLength];
    this.workgroupSize = [workgroupSize, 1, 1];
    this.dispatch = [Math.ceil(threads / workgroupSize), 1, 1];
  }

  abstract getUserCode(): string;
}
