import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';
import { contentSecurityPolicy } from './main/common/contentSecurityPolicy.ts';

/** Writes the one CSP (main/common) into index.html, so the page's meta tag and the served header never differ. */
function cspMetaTag(): Plugin {
  return {
    name: 'mnist-lab-csp',
    transformIndexHtml: (html) => html.replace('%CONTENT_SECURITY_POLICY%', contentSecurityPolicy('meta')),
  };
}

/**
 * The bundled Korean font ships as WOFF2 only: every Chromium (Electron's, the browser mode's) reads it, and the WOFF
 * copies beside it would double the app's font files for no reader.
 */
function woff2Only(): Plugin {
  return {
    name: 'mnist-lab-woff2-only',
    enforce: 'pre',
    transform(code, id) {
      if (!id.includes('@fontsource/') || !id.endsWith('.css')) return null;
      return code.replace(/,\s*url\([^)]*\.woff\) format\('woff'\)/g, '');
    },
  };
}

// The renderer: one Svelte app, served by main/server in browser mode and by the app:// protocol in Electron.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [svelte(), cspMetaTag(), woff2Only()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    // The plugin-timing report is for whoever tunes the build, not for everyone who runs npm start.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
