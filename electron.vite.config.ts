// electron-vite: main (src/main/index.ts), preload (src/preload/index.ts) and renderer
// (src/renderer/) into out/. `electron` is external in main and preload (electron-vite's
// default); it is not installed at all, because its postinstall downloads the binary and
// the build machines cannot (see src/main/electron.d.ts).

import { createRequire } from 'node:module';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';

// electron-vite picks build targets and the output format from the version in
// node_modules/electron/package.json, and throws when there is none. Targets are pinned
// below instead; it still asks for a major version, so give it one that matches them
// (Electron 29: Node 20.9, Chromium 122). An installed electron package wins.
const TARGET_NODE = 'node20';
const TARGET_CHROME = 'chrome120';
const ASSUMED_ELECTRON_MAJOR = '29';
if (!process.env.ELECTRON_MAJOR_VER) {
  try {
    createRequire(import.meta.url).resolve('electron/package.json');
  } catch {
    process.env.ELECTRON_MAJOR_VER = ASSUMED_ELECTRON_MAJOR;
  }
}

// The dev server injects styles inline and talks to the page over a WebSocket; the
// built page (src/renderer/index.html's meta tag, and main's header) allows neither.
function devCsp(): Plugin {
  return {
    name: 'vpclab:dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(
        /(http-equiv="Content-Security-Policy"\s+content=")([^"]*)"/,
        (_m, head: string, policy: string) =>
          `${head}${policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws:")}"`,
      );
    },
  };
}

export default defineConfig({
  main: {
    build: {
      target: TARGET_NODE,
      // src/main/index.ts only; everything else under src/main is compiled by tsc into dist/
      // and the runtime runs from there (a separate process, see src/main/desktop/).
      lib: { entry: 'src/main/index.ts' },
    },
  },
  preload: {
    build: {
      target: TARGET_NODE,
      lib: { entry: 'src/preload/index.ts' },
      // A sandboxed preload can require only `electron` (and a few built-ins): bundle the rest.
      externalizeDeps: false,
    },
  },
  renderer: {
    root: 'src/renderer',
    build: {
      target: TARGET_CHROME,
    },
    plugins: [svelte(), devCsp()],
  },
});
