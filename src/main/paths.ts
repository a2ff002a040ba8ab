// Where vpclab's own files are. The same code runs from the TypeScript sources (vitest),
// compiled under dist/src/main/ (tsc) and bundled by electron-vite, so nothing may assume
// a fixed depth below the package: we walk up to the package.json that names vpclab.

import * as fs from 'node:fs';
import * as path from 'node:path';

const PACKAGE_NAME = 'vpclab';

let cachedRoot: string | undefined;

/** The directory holding vpclab's package.json. */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  const start = __dirname;
  let dir = start;
  for (;;) {
    if (isVpclabPackage(path.join(dir, 'package.json'))) {
      cachedRoot = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`packageRoot: no package.json with "name": "${PACKAGE_NAME}" above ${start}`);
    }
    dir = parent;
  }
}

function isVpclabPackage(file: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  try {
    return (JSON.parse(text) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false; // a broken package.json further down must not stop the walk
  }
}

/** The compiled TUN addon (built by scripts/build-native.js). */
export function addonPath(): string {
  // Packaged Electron apps must keep .node files outside the asar archive.
  const root = packageRoot().replace(/([\\/])app\.asar(?=[\\/]|$)/, '$1app.asar.unpacked');
  return path.join(root, 'native', 'build', 'Release', 'vpclab_tun.node');
}
