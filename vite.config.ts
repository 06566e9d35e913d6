import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// CIFAR-10 (from `npm run data:cifar10`) lives in the git-ignored public/data/, which Vite serves at
// /data/ in development and copies into the build, so the worker can fetch it either way.
export default defineConfig({
  plugins: [react()],
  // The training worker imports tfjs as an ES module (module workers are in every current browser).
  worker: { format: 'es' },
  // tfjs is hundreds of small ES modules; pre-bundling makes the dev server's first load fast.
  optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-webgpu'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
});
