import { createReadStream, existsSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const PUBLIC_DATA = resolve('public/data');

// CIFAR-10 (from `npm run data:cifar10`, about 340 MB) lives in the git-ignored public/data/. The
// dev server serves it at /data/ as public files; the build does not copy it (copyPublicDir: false),
// and this plugin serves it to `vite preview` too, so the worker can fetch it either way.
function serveDataInPreview(): Plugin {
  return {
    name: 'serve-public-data-in-preview',
    configurePreviewServer(server) {
      server.middlewares.use('/data', (req, res, next) => {
        const path = resolve(PUBLIC_DATA, '.' + decodeURIComponent((req.url ?? '/').split('?')[0]));
        if (!path.startsWith(PUBLIC_DATA + sep) || !existsSync(path) || !statSync(path).isFile()) return next();
        res.setHeader('Content-Type', 'application/octet-stream');
        res.setHeader('Content-Length', String(statSync(path).size));
        if (req.method === 'HEAD') return res.end();
        createReadStream(path).pipe(res);
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), serveDataInPreview()],
  // The training worker imports tfjs as an ES module (module workers are in every current browser).
  worker: { format: 'es' },
  // tfjs is hundreds of small ES modules; pre-bundling makes the dev server's first load fast.
  optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu'] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    copyPublicDir: false,
    // bench.html is the page behind `npm run bench:browser`.
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
});
