import { defineConfig } from 'vitest/config';

// Two projects: fast Node unit tests, and GPU tests that run real WGSL on Dawn (the `webgpu` npm
// package) over a software Vulkan driver. GPU tests run one file at a time: one device is plenty
// and SwiftShader is CPU-bound on a 2-core machine.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        // The experiments gallery run for real (headless child processes, two at a time).
        test: {
          name: 'experiments',
          include: ['tests/experiments/**/*.test.ts'],
          environment: 'node',
          testTimeout: 1_200_000,
        },
      },
      {
        test: {
          name: 'gpu',
          include: ['tests/gpu/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/gpu/setup-dawn.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
