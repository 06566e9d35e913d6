// What the page knows about sample quality: the proxy worker's phase, the proxy in use with its
// real-data references, and the evaluations of the generator against them. Pure reducer, so the
// rules (which evaluations belong together) are testable without a worker.
import type {
  ProxyInfo,
  ProxyPhase,
  ProxyReference,
  ProxyToPage,
  ProxyTrainingProgress,
} from '../../worker/proxy-protocol';
import { referenceKeyOf } from '../../core/proxy/reference-key';
import { qualityRow, type QualityRow } from '../../core/proxy/sample-quality';

/** One evaluation of N generated images, flattened for charts and CSV. */
export interface ProxyEvaluationPoint extends QualityRow {
  runId: number;
  /** Generated images per argmax class, in the proxy's class order. */
  classHistogram: number[];
  klFromUniform: number;
  /** Training worker: reading G's weights back. Proxy worker: generating the N images, scoring them. */
  readBackSeconds: number;
  generationSeconds: number;
  proxySeconds: number;
}

export interface ProxyState {
  phase: ProxyPhase;
  detail: string | null;
  progress: ProxyTrainingProgress | null;
  proxy: ProxyInfo | null;
  reference: ProxyReference | null;
  /** referenceKeyOf(proxy.key, reference.n): the evaluations below all belong to it. */
  referenceKey: string | null;
  evaluations: ProxyEvaluationPoint[];
  /** Evaluations dropped because the previous one was still being scored. */
  skipped: number;
}

export type ProxyAction =
  | { type: 'worker'; message: ProxyToPage }
  /** The page dropped a batch of generated images (an evaluation was still running). */
  | { type: 'skipped' }
  /** Run `runId` went back to `iteration`: its later evaluations belonged to the abandoned branch. */
  | { type: 'rolled-back'; runId: number; iteration: number };

export function initialProxyState(): ProxyState {
  return {
    phase: 'idle',
    detail: null,
    progress: null,
    proxy: null,
    reference: null,
    referenceKey: null,
    evaluations: [],
    skipped: 0,
  };
}

export function proxyReducer(state: ProxyState, action: ProxyAction): ProxyState {
  if (action.type === 'skipped') return { ...state, skipped: state.skipped + 1 };
  if (action.type === 'rolled-back') {
    return {
      ...state,
      evaluations: state.evaluations.filter((e) => e.runId !== action.runId || e.iteration <= action.iteration),
    };
  }
  const message = action.message;
  switch (message.type) {
    case 'status': {
      // Leaving 'ready' means the proxy in use is gone (new data, new recipe): so are its numbers.
      const keepsProxy = message.phase === 'ready' || message.phase === 'measuring';
      return {
        ...state,
        phase: message.phase,
        detail: message.detail,
        progress: message.progress,
        ...(keepsProxy ? {} : { proxy: null, reference: null }),
      };
    }
    case 'proxy-ready': {
      const referenceKey = referenceKeyOf(message.proxy.key, message.reference.n);
      const sameReference = referenceKey === state.referenceKey;
      return {
        ...state,
        phase: 'ready',
        detail: null,
        progress: null,
        proxy: message.proxy,
        reference: message.reference,
        referenceKey,
        evaluations: sameReference ? state.evaluations : [],
        skipped: sameReference ? state.skipped : 0,
      };
    }
    case 'evaluation': {
      if (message.referenceKey !== state.referenceKey) return state;
      const q = message.quality;
      const point: ProxyEvaluationPoint = {
        ...qualityRow(message.iteration, q),
        runId: message.runId,
        classHistogram: q.classCoverage.histogram,
        klFromUniform: q.classCoverage.klFromUniform,
        readBackSeconds: message.readBackSeconds,
        generationSeconds: message.generationSeconds,
        proxySeconds: message.proxySeconds,
      };
      // An evaluation of the same run and iteration replaces the earlier one (a step after a reset).
      const rest = state.evaluations.filter((e) => !(e.runId === point.runId && e.iteration === point.iteration));
      return { ...state, evaluations: [...rest, point].sort((a, b) => a.runId - b.runId || a.iteration - b.iteration) };
    }
    default:
      return state;
  }
}

/** The evaluations of one run (the page shows the current run's). */
export function evaluationsOfRun(state: ProxyState, runId: number): ProxyEvaluationPoint[] {
  return state.evaluations.filter((e) => e.runId === runId);
}
