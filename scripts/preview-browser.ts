// Serves dist/ with `vite preview` and opens a page in Debian's Chromium with software WebGPU, runs
// `work` on it, then closes both and exits (1 with the message when `work` throws). The shared frame
// of the browser benchmarks.
import { chromium, type Browser, type Page } from 'playwright-core';
import { preview } from 'vite';
import { CHROMIUM_PATH, QUIET_FLAGS, WEBGPU_FLAGS } from './chromium';

export async function runInPreviewBrowser(
  port: number,
  work: (page: Page, origin: string, browser: Browser) => Promise<void>,
): Promise<never> {
  const server = await preview({ preview: { port, strictPort: true, host: '127.0.0.1' } });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...WEBGPU_FLAGS, ...QUIET_FLAGS] });
  let exitCode = 0;
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`page: ${m.text()}`);
    });
    await work(page, `http://127.0.0.1:${port}`, browser);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    exitCode = 1;
  } finally {
    await browser.close();
    server.httpServer.close();
  }
  process.exit(exitCode);
}
