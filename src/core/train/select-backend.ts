// Picks the tfjs backend: WebGPU first, then WebGL, then CPU, with a notice a person can read
// whenever the run ends up on something slower than what was asked for. Framework-free: it runs in
// the training worker, on the page and in Node.
import * as tf from '@tensorflow/tfjs';
// Registers the 'webgpu' backend, but only when navigator.gpu exists (so importing it is harmless).
import '@tensorflow/tfjs-backend-webgpu';
import type { BackendChoice } from '../config/schema';

export type BackendName = 'webgpu' | 'webgl' | 'cpu';

export interface BackendSelection {
  backend: BackendName;
  /** Why the run is not on the requested (or best) backend; null when nothing fell back. */
  notice: string | null;
}

/** Fastest first on a real GPU; backend=auto times them in this order (backend-calibration.ts). */
export const FALLBACK_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'cpu'];

export const BACKEND_LABELS: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', cpu: 'the CPU' };
const SLOWNESS: Record<BackendName, string> = { webgpu: '', webgl: ' (slower)', cpu: ' (much slower)' };

/**
 * Asks for an adapter first: navigator.gpu can exist while requestAdapter() returns null (e.g.
 * Chromium without a usable GPU), and tfjs would then log a confusing TypeError from its factory.
 */
async function hasWebGpuAdapter(): Promise<boolean> {
  if (typeof navigator === 'undefined' || !navigator.gpu) return false;
  try {
    return (await navigator.gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

/** Tries one backend. setBackend resolves false (it does not throw) when e.g. no GPU adapter exists. */
export async function trySetBackend(name: BackendName): Promise<boolean> {
  if (!tf.findBackendFactory(name)) return false; // webgpu is not registered without navigator.gpu
  if (name === 'webgpu' && !(await hasWebGpuAdapter())) return false;
  try {
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

function fallbackNotice(wanted: BackendName, got: BackendName, failed: BackendName[]): string {
  const unavailable = failed.map((name) => BACKEND_LABELS[name]).join(' and ');
  const verb = failed.length > 1 ? 'are' : 'is';
  const requested = wanted === 'webgpu' ? '' : ` (requested backend=${wanted})`;
  const training = `training on ${BACKEND_LABELS[got]}${SLOWNESS[got]}`;
  return `${unavailable} ${verb} not available in this browser${requested}; ${training}`;
}

/**
 * Selects the first working backend starting at the choice ('auto' starts at webgpu). Falls back
 * only to slower backends, never to a faster one than was forced.
 */
export async function selectBackend(choice: BackendChoice): Promise<BackendSelection> {
  const wanted: BackendName = choice === 'auto' ? 'webgpu' : choice;
  const candidates = FALLBACK_ORDER.slice(FALLBACK_ORDER.indexOf(wanted));
  const failed: BackendName[] = [];
  for (const name of candidates) {
    if (await trySetBackend(name)) {
      return { backend: name, notice: failed.length ? fallbackNotice(wanted, name, failed) : null };
    }
    failed.push(name);
  }
  throw new Error(`no tfjs backend could be started (tried ${candidates.join(', ')})`);
}
