// D's weights in and out of the backend as plain arrays: a snapshot of every layer's raw and
// effective weight for the exact spectra elsewhere, and writing chosen raw weights back.
import * as tf from '@tensorflow/tfjs';
import type { NormName } from '../config/schema';
import type { WeightSnapshot } from '../metrics/types';
import type { DiscriminatorLayer } from '../models/discriminator-layer';

/**
 * Every layer's raw weight and `effective` weight (same order) as fresh copies, safe to transfer.
 * Disposes the effective tensors that are not the raw variables themselves.
 */
export async function readWeightSnapshot(
  layers: readonly DiscriminatorLayer[],
  effective: readonly tf.Tensor[],
  at: { iteration: number; norm: NormName; bssnScale: number },
): Promise<WeightSnapshot> {
  // Copies: the CPU backend's data() hands out its own storage, which a transfer would detach.
  const copy = async (tensor: tf.Tensor) => new Float32Array(await tensor.data());
  try {
    const [raws, effectives] = await Promise.all([
      Promise.all(layers.map((layer) => copy(layer.weight))),
      Promise.all(effective.map(copy)),
    ]);
    return {
      ...at,
      layers: layers.map((layer, i) => ({
        name: layer.name,
        kind: layer.kind,
        shape: [...layer.weight.shape],
        raw: raws[i],
        effective: effectives[i],
      })),
    };
  } finally {
    // Methods without a reparametrization (none, ortho, clip) hand back the raw variable itself.
    tf.dispose(effective.filter((weight, i) => weight !== layers[i].weight));
  }
}
