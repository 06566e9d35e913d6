// Moved to core (the page names the adapter too); the benchmarks import it from here.
export * from '../core/train/webgpu-adapter';
