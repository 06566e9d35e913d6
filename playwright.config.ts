import { defineConfig } from '@playwright/test';

// Debian's Chromium (Playwright's own download does not work here). WebGPU runs on its bundled
// SwiftShader with these flags; without the WebGPU ones, requestAdapter() returns null, which the
// `no-webgpu` project uses to test the WebGL fallback in a separately launched browser.
import { CHROMIUM_PATH as CHROMIUM, QUIET_FLAGS, WEBGPU_FLAGS } from './scripts/chromium';

const PORT = 4391;

export default defineConfig({
  testDir: 'tests/e2e',
  // Software WebGPU is slow (about 1.4 s per iteration at ch=4, batch=4), and the machine is small.
  timeout: 300_000,
  expect: { timeout: 120_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  // Kept apart from test-results/ itself, which Playwright would otherwise empty at every start.
  outputDir: 'test-results/e2e-artifacts',
  use: {
    baseURL: `http://localhost:${PORT}`,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'webgpu',
      testIgnore: /webgl-fallback\.spec\.ts/,
      use: { launchOptions: { executablePath: CHROMIUM, args: [...WEBGPU_FLAGS, ...QUIET_FLAGS] } },
    },
    {
      name: 'no-webgpu',
      testMatch: /webgl-fallback\.spec\.ts/,
      use: { launchOptions: { executablePath: CHROMIUM, args: QUIET_FLAGS } },
    },
  ],
  webServer: {
    // Build once, then serve the production bundle (what a person gets), on a fixed port.
    command: `npx vite build && npx vite preview --port ${PORT} --strictPort`,
    url: `http://localhost:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
