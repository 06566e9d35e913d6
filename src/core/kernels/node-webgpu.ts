/**
 * Node only: runs tfjs-backend-webgpu on Dawn (the `webgpu` npm package), for the GPU tests, headless
 * runs and benchmarks. Never import this file from code that runs in the page or the worker: it uses
 * node:fs and a native addon.
 *
 * Order matters, which is why everything below is a dynamic import:
 * 1. XDG_RUNTIME_DIR and VK_ICD_FILENAMES must be set before Dawn's `create()` loads the Vulkan driver.
 * 2. `navigator.gpu` must exist before '@tensorflow/tfjs-backend-webgpu' is first imported, because
 *    the backend registers itself at import time only if it sees `navigator.gpu`.
 */
import * as tf from '@tensorflow/tfjs';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
/** Debian names the lavapipe manifest with or without the architecture suffix. */
export const LAVAPIPE_ICDS = [
  '/usr/share/vulkan/icd.d/lvp_icd.json',
  `/usr/share/vulkan/icd.d/lvp_icd.${process.arch === 'x64' ? 'x86_64' : process.arch}.json`,
];

/**
 * Which Vulkan driver manifest to use, or undefined to let the Vulkan loader use the machine's own
 * drivers. An explicit VK_ICD_FILENAMES always wins. GPU_ICD chooses otherwise:
 * `lavapipe` (Mesa >= 25; Mesa 22.3 is refused by Dawn), `swiftshader`, `system` (a real GPU),
 * or a path to a manifest; it throws if the requested manifest is missing. Without GPU_ICD:
 * Chromium's SwiftShader when present, the safe default on machines without a GPU.
 */
export function chooseVulkanIcd(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.VK_ICD_FILENAMES) return env.VK_ICD_FILENAMES;
  const requested = env.GPU_ICD?.trim() ?? '';
  const choice = requested.toLowerCase();
  if (choice === 'system') return undefined;
  if (choice === 'lavapipe' || choice === 'lvp') return firstExisting(LAVAPIPE_ICDS, 'GPU_ICD=lavapipe');
  if (choice === 'swiftshader') return firstExisting([SWIFTSHADER_ICD], 'GPU_ICD=swiftshader');
  if (requested) return firstExisting([requested], `GPU_ICD=${requested}`);
  return existsSync(SWIFTSHADER_ICD) ? SWIFTSHADER_ICD : undefined;
}

/** An explicit request for a driver that is not there is a setup error, said loudly. */
function firstExisting(paths: string[], request: string): string {
  const found = paths.find((path) => existsSync(path));
  if (!found) throw new Error(`${request}: no Vulkan ICD manifest at ${paths.join(' or ')}`);
  return found;
}

/**
 * Dawn wants a private runtime directory; headless machines and CI containers often have none.
 * One per user, reused, as a real XDG_RUNTIME_DIR is (a fresh mkdtemp per process would litter
 * /tmp: vitest ends its workers without an 'exit' event to clean up after); a fresh private one if
 * that name is taken by someone else.
 */
function ensurePrivateRuntimeDir(): void {
  const current = process.env.XDG_RUNTIME_DIR;
  if (current && existsSync(current)) return;
  const uid = process.getuid?.() ?? 0;
  const shared = join(tmpdir(), `dawn-xdg-${uid}`);
  mkdirSync(shared, { recursive: true, mode: 0o700 });
  const info = statSync(shared);
  let dir = shared;
  if (info.uid === uid && info.isDirectory()) {
    chmodSync(shared, 0o700);
  } else {
    dir = mkdtempSync(join(tmpdir(), 'dawn-xdg-'));
    chmodSync(dir, 0o700);
  }
  process.env.XDG_RUNTIME_DIR = dir;
}

interface NavigatorWithGpu {
  gpu?: GPU;
}

function currentNavigator(): NavigatorWithGpu | undefined {
  return (globalThis as { navigator?: NavigatorWithGpu }).navigator;
}

async function installDawnNavigator(): Promise<void> {
  if (currentNavigator()?.gpu) return;
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals); // GPUBufferUsage, GPUMapMode, ... used by the backend
  // defineProperty, not assignment: Node >= 21 has a read-only navigator getter of its own.
  Object.defineProperty(globalThis, 'navigator', {
    value: { gpu: create([]) },
    configurable: true,
    writable: true,
  });
}

/**
 * If the backend module was imported before navigator.gpu existed it never registered itself;
 * register the same factory it would have, so the import order of callers cannot break this.
 */
async function ensureWebGPUBackendRegistered(): Promise<void> {
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  if (tf.findBackendFactory('webgpu') != null) return;
  tf.registerBackend(
    'webgpu',
    async () => {
      const adapter = await currentNavigator()?.gpu?.requestAdapter({ powerPreference: 'high-performance' });
      if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned null');
      const device = await adapter.requestDevice({
        requiredLimits: {
          maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
          maxComputeWorkgroupsPerDimension: adapter.limits.maxComputeWorkgroupsPerDimension,
          maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
          maxBufferSize: adapter.limits.maxBufferSize,
          maxComputeWorkgroupSizeX: adapter.limits.maxComputeWorkgroupSizeX,
          maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
        },
      });
      return new WebGPUBackend(device, adapter.info);
    },
    3,
  );
}

/**
 * Makes tfjs run on WebGPU in Node. Returns whether the 'webgpu' backend is active afterwards; on
 * false the broken registration is removed so tfjs falls back to cpu instead of throwing on the
 * next op (setBackend returns false but leaves the failed backend selected). Throws only when
 * GPU_ICD explicitly names a driver that is not installed.
 */
export async function initNodeWebGPU(): Promise<boolean> {
  if (tf.getBackend() === 'webgpu') return true;
  ensurePrivateRuntimeDir();
  const icd = chooseVulkanIcd();
  if (icd) process.env.VK_ICD_FILENAMES = icd;
  await installDawnNavigator();
  await ensureWebGPUBackendRegistered();
  let active: boolean;
  try {
    active = await tf.setBackend('webgpu');
  } catch {
    active = false;
  }
  if (!active) {
    tf.removeBackend('webgpu');
    return false;
  }
  return tf.getBackend() === 'webgpu';
}

/**
 * Drops the reference to Dawn's GPU object. Dawn keeps Node's event loop alive while that object is
 * reachable (crbug.com/387965810), so a CLI calls this when it is done with the GPU; tensors already
 * on the backend stay readable until the backend is disposed. (With webgpu 0.6.2 here, Node and
 * vitest workers exited without it; it is kept for the versions and platforms where they do not.)
 */
export function releaseNodeWebGPU(): void {
  Reflect.deleteProperty(globalThis, 'navigator');
}
