// The built renderer (out/renderer, from `electron-vite build`) as `vpclab serve` hands it
// to a browser: a fixed set of content types, no directory listings, nothing outside the
// directory. Paths are checked as sent, before any normalisation, so `/../x` and its
// percent-encoded forms are refused rather than quietly folded back inside.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../paths';

export function rendererDir(): string {
  return path.join(packageRoot(), 'out', 'renderer');
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The policy of src/renderer/index.html's meta tag and Electron main's header, with the
 * lab's WebSocket spelled out (older browsers do not let 'self' cover ws:).
 */
export function contentSecurityPolicy(origin: string): string {
  const ws = origin.replace(/^http:/, 'ws:');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${ws}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The file under `root` that a request path names, or null (→ 404). `rawPath` is the
 * path part of the request target exactly as received (no query).
 */
export function resolveStatic(root: string, rawPath: string): string | null {
  if (!rawPath.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.')) return null;
  // Dot files (editor leftovers, .DS_Store…) are never part of the build.
  if (segments.some((s) => s.startsWith('.'))) return null;
  const rel = decoded === '/' ? 'index.html' : decoded.slice(1);
  const base = path.resolve(root);
  const file = path.resolve(base, rel);
  if (!file.startsWith(base + path.sep)) return null;
  return file;
}

/** The file's bytes if it is a regular file still inside `root` after symlinks, else null. */
export async function readStatic(root: string, file: string): Promise<Buffer | null> {
  try {
    const [realRoot, real] = await Promise.all([fs.promises.realpath(root), fs.promises.realpath(file)]);
    if (!real.startsWith(realRoot + path.sep)) return null;
    const st = await fs.promises.stat(real);
    if (!st.isFile()) return null;
    return await fs.promises.readFile(real);
  } catch {
    return null;
  }
}
