import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves dist/ at "/" with an SPA fallback to index.html, and the API
// under /api on the same origin. Assets therefore use absolute "/assets/..." paths,
// which keep working on deep links such as /proof-items/42.
const apiTarget = process.env.MIANZHENG_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        // React and the router change rarely: one long-cached chunk. antd is left to
        // automatic splitting so each page only pulls the components it renders.
        codeSplitting: {
          groups: [{ name: 'react-vendor', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/ }],
        },
      },
    },
  },
});
