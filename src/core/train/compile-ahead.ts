// Shader compilation ahead of the first Train on webgpu. A run's first iteration compiles every
// pipeline it meets, one after another, inside the training step (about 80 pipelines and most of a
// 20 s first iteration for the ch=4 CNN on SwiftShader). tfjs's compile-only mode records no work:
// each program's pipeline is created with createComputePipelineAsync, so the driver compiles them in
// parallel, and checkCompileCompletionAsync waits for all. One iteration of a throwaway trainer with
// gradient read-back meets every pipeline a training iteration uses; its outputs are never written
// and it is disposed after.
import * as tf from '@tensorflow/tfjs';
import type { GanConfig } from '../config/schema';
import type { TrainingSet } from '../data/types';
import { GanTrainer } from './gan-trainer';

const COMPILE_ONLY = 'WEBGPU_ENGINE_COMPILE_ONLY';

interface CompilingBackend {
  checkCompileCompletionAsync(): Promise<void>;
}

/** Compiles the pipelines of one training iteration on webgpu; returns the ms it took (0 elsewhere). */
export async function compileAhead(config: GanConfig, data: TrainingSet): Promise<number> {
  if (tf.getBackend() !== 'webgpu') return 0;
  const start = performance.now();
  const trainer = GanTrainer.create(config, data);
  try {
    tf.env().set(COMPILE_ONLY, true);
    try {
      trainer.trainIteration(true);
    } finally {
      tf.env().set(COMPILE_ONLY, false);
    }
    await (tf.backend() as unknown as CompilingBackend).checkCompileCompletionAsync();
  } finally {
    trainer.dispose();
  }
  return performance.now() - start;
}
