import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { recordBuildInputs } from './build-inputs.ts';

// The app is served by the API server under /app/ (same origin: the session cookie is
// SameSite=Strict). In development, `npm run dev:web` proxies the API to a running server.
export default defineConfig({
  root: import.meta.dirname,
  base: '/app/',
  plugins: [react(), recordBuildInputs()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 900 },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000' } },
});
