import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The console is served by the API in production (apps/api/src/console), so the dev server only
 * proxies the API and the live socket to a running `npm start` (port 3000 by default).
 * JSX is compiled by Vite's own transformer (automatic runtime): @vitejs/plugin-react is not needed for a build.
 */
export default defineConfig({
  root,
  base: '/',
  resolve: {
    alias: { '@guichet/live': fileURLToPath(new URL('../../libs/live/src', import.meta.url)) },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // Mantine marks its modules "use client" for React Server Components; irrelevant in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/api': process.env.GUICHET_API_URL ?? 'http://127.0.0.1:3000',
      '/socket.io': { target: process.env.GUICHET_API_URL ?? 'http://127.0.0.1:3000', ws: true },
    },
  },
});
