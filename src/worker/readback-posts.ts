// What a read-back sends besides the metrics point, built as messages (with their transfer lists)
// for the training worker to post: the 2-D outputs (generated points, mode coverage, D's heat map
// with G's arrows), the weight snapshot for the spectrum worker, and G's weights for the proxy.
import type { GanConfig } from '../core/config/schema';
import { isToyDataset } from '../core/config/schema';
import type { ToyModeSet } from '../core/data/toy-modes';
import { toyViewHalfWidth } from '../core/data/toy-view';
import { toyModeCoverage } from '../core/metrics/mode-coverage';
import type { GanTrainer } from '../core/train/gan-trainer';
import type { CollapseAlarmOptions, WeightSnapshot } from '../core/metrics/types';
import type { FieldWindow } from '../core/train/toy-field';
import {
  TOY_COVERAGE_SAMPLES,
  TOY_COVERAGE_STDS,
  TOY_FIELD_ARROWS,
  TOY_FIELD_SIDE,
  type WorkerToPage,
} from './protocol';

export interface Outgoing {
  message: WorkerToPage;
  transfer: Transferable[];
}

/** The heat map's window: the scatter's square view, so cells and points line up on the page. */
export function toyFieldWindow(config: Pick<GanConfig, 'dataset'>, mixture: ToyModeSet): FieldWindow {
  const half = toyViewHalfWidth(isToyDataset(config.dataset) ? config.dataset : null, mixture);
  return { min: -half, max: half, side: TOY_FIELD_SIDE };
}

/**
 * 2-D data, at every read-back: 2500 generated points and their mode coverage (a nearest-mode pass,
 * cheap for the small MLP), then D's logits on a 40 x 40 grid and -dL_G/dx at 24 points.
 */
export async function toyReadBack(
  trainer: GanTrainer,
  mixture: ToyModeSet,
  window: FieldWindow,
  runId: number,
): Promise<Outgoing[]> {
  const iteration = trainer.iteration;
  const points = await trainer.samplePoints(TOY_COVERAGE_SAMPLES);
  const coverage = toyModeCoverage(points, mixture, { thresholdStds: TOY_COVERAGE_STDS });
  const field = await trainer.toyField(window, TOY_FIELD_ARROWS);
  return [
    { message: { type: 'toy-coverage', iteration, points, coverage, runId }, transfer: [points.buffer] },
    {
      message: { type: 'toy-field', iteration, field, runId },
      transfer: [field.logits.buffer, field.points.buffer, field.arrows.buffer],
    },
  ];
}

/** The raw and effective D weights (transferred, see TrainingSession.onWeights) for the exact spectra. */
export function weightsPost(snapshot: WeightSnapshot, alarm: CollapseAlarmOptions, runId: number): Outgoing {
  const transfer = snapshot.layers.flatMap((layer) => [layer.raw.buffer, layer.effective.buffer]);
  return { message: { type: 'weights', snapshot, alarm, runId }, transfer };
}

/** A copy of G's weights (transferred) and what rebuilding G takes; `seconds` is the read-back's cost. */
export async function generatorPost(trainer: GanTrainer, runId: number): Promise<Outgoing> {
  const started = performance.now();
  const weights = await trainer.readGeneratorWeights();
  const seconds = (performance.now() - started) / 1000;
  const message: WorkerToPage = {
    type: 'generator-weights',
    iteration: trainer.iteration,
    generator: trainer.generatorSpec,
    weights,
    seconds,
    runId,
  };
  return { message, transfer: weights.map((w) => w.buffer) };
}
