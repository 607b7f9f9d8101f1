import { defineConfig } from 'vite';

// The console is built into the jar's META-INF/resources, which Quarkus serves at / (local mode and the API Lambda).
// JSX is compiled for Preact by esbuild itself, so no framework plugin is needed.
export default defineConfig({
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'target/classes/META-INF/resources',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
  },
});
