// Which WebGPU adapter a run or a benchmark is on (Dawn in Node or the browser's): a software Vulkan
// driver (SwiftShader, lavapipe/llvmpipe) on machines without a GPU, or a real GPU. The page names a
// software adapter as such; `npm run bench` adds the full-size throughput figure on a real GPU.
export interface AdapterDescription {
  description: string;
  software: boolean;
}

const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|software|cpu/i;

export function isSoftwareAdapter(description: string): boolean {
  return SOFTWARE_ADAPTER.test(description);
}

export async function describeWebGPUAdapter(): Promise<AdapterDescription> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' });
  const info = adapter?.info;
  if (!info) return { description: 'unknown adapter', software: true }; // unknown: assume the slow kind
  // Not info.device: Dawn's is an internal id (SwiftShader's: "swiftshader-device-subzero-").
  const description = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
  return { description, software: isSoftwareAdapter(description) };
}
