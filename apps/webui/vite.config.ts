import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Audio worklets load as files of our origin: the CSP allows no data: or blob: scripts.
    assetsInlineLimit: (file) => (file.endsWith('.worklet.js') ? false : undefined),
  },
});
