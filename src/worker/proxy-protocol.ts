// Messages between the page and the proxy worker, which trains (or loads from the browser's cache)
// the proxy net for the run's data and scores generated images with it. Generated images come from
// the training worker (GanTrainer.generateImages) through the page, transferred, never copied.
import type { ReferenceSummary } from '../core/proxy/reference-summary';
import type { BackendChoice, ProxyRecipeName } from '../core/config/schema';
import type { DatasetConfig } from '../core/data/load-dataset';
import type { SampleQuality } from '../core/proxy/sample-quality';
import type { GeneratorSpec } from '../core/train/types';

export type PageToProxy =
  /**
   * The run's data, recipe and N: loads the two splits and looks for a cached proxy of that key. A
   * cached one is made ready (its references computed at N); otherwise the worker waits, 'untrained',
   * for 'train' or 'import'. Sent again whenever one of these changes; an N change only recomputes
   * the references.
   */
  | { type: 'prepare'; data: DatasetConfig; recipe: ProxyRecipeName; n: number; backend: BackendChoice }
  /** Train the prepared proxy with its recipe, measure it, cache it. */
  | { type: 'train' }
  /**
   * Generate N images from G (rebuilt from `generator`, with `weights` transferred from the training
   * worker) for the run's fixed evaluation latents, and score them: run `runId` at `iteration`.
   */
  | {
      type: 'evaluate';
      runId: number;
      iteration: number;
      generator: GeneratorSpec;
      weights: Float32Array[];
      readBackSeconds: number;
    }
  /** Serialize the ready proxy; answered by 'exported'. */
  | { type: 'export' }
  /** A proxy file chosen by the person: accepted only when it is the proxy of the prepared key. */
  | { type: 'import'; bytes: ArrayBuffer; fileName: string }
  /** CIFAR-10 files dropped on the page (the training worker gets them too). */
  | { type: 'load-files'; files: File[] };

/**
 * idle: nothing prepared (or not applicable); loading-data; untrained: no cached proxy for this key;
 * training; measuring: test accuracy and real-data references; ready; failed: see the error message.
 */
export type ProxyPhase = 'idle' | 'loading-data' | 'untrained' | 'training' | 'measuring' | 'ready' | 'failed';

export interface ProxyTrainingProgress {
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  loss: number;
  seconds: number;
}

/** The proxy in use: what it is, how good it is, where it came from. */
export interface ProxyInfo {
  key: string;
  recipeName: string;
  /** Test accuracy on the held-out split (all of it). */
  accuracy: number;
  /** Seconds its training took where it was trained (null when unknown, e.g. an imported file). */
  trainSeconds: number | null;
  source: 'trained' | 'cache' | 'imported';
  backend: string;
  classNames: string[];
  featureDimension: number;
  parameterCount: number;
  trainCount: number;
  heldOutCount: number;
}

/** The real-data references at N, the lines drawn beside the generator's numbers. */
export type ProxyReference = ReferenceSummary;

export type ProxyErrorSource =
  'data' | 'training' | 'evaluation' | 'import' | 'export' | 'cache' | 'device' | 'backend';

export type ProxyToPage =
  | { type: 'status'; phase: ProxyPhase; detail: string | null; progress: ProxyTrainingProgress | null }
  /** A proxy is ready at N: every evaluation from now on is against this reference. */
  | { type: 'proxy-ready'; proxy: ProxyInfo; reference: ProxyReference }
  | {
      type: 'evaluation';
      runId: number;
      iteration: number;
      quality: SampleQuality;
      /** Seconds the training worker spent reading G's weights back: all that training paid. */
      readBackSeconds: number;
      /** Seconds the proxy worker spent generating the N images. */
      generationSeconds: number;
      /** Seconds the proxy worker spent scoring them (features through the net, FID, KID, IS). */
      proxySeconds: number;
      /** The proxy key and N the numbers belong to. */
      referenceKey: string;
    }
  /** A G copy that was not scored (the proxy changed on its way, or generating/scoring failed). */
  | { type: 'evaluation-skipped'; runId: number; iteration: number; reason: string }
  | { type: 'exported'; bytes: ArrayBuffer; fileName: string }
  | { type: 'error'; source: ProxyErrorSource; message: string };

// Lives in core so the page can use it; re-exported for the proxy worker and existing importers.
export { referenceKeyOf } from '../core/proxy/reference-key';
