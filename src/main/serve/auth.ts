// Who may talk to `vpclab serve`. The server drives namespaces and runs commands as root,
// so a page from anywhere else — another site, another local server, a DNS-rebinding
// name that resolves to 127.0.0.1 — must get nothing from it:
//
// - the token: 16 random bytes, hex, printed once in the URL. A page load with
//   `?token=` sets it as a cookie (HttpOnly, SameSite=Strict, named after the port:
//   cookies ignore ports, so two servers side by side must not overwrite each other's)
//   so that the page's own scripts and styles, which carry no query, load too.
// - the Host header must be our own address: a rebound name (evil.example → 127.0.0.1)
//   arrives with its own Host.
// - a WebSocket upgrade must also come with our own Origin: browsers send it and pages
//   cannot forge it, so a page elsewhere that somehow learned the token still cannot
//   open the socket.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const LOOPBACK = '127.0.0.1';

export function newToken(): string {
  return randomBytes(16).toString('hex');
}

/** Constant time in the token's content; only the (public) length can show. */
export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(token, 'utf8');
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

export function cookieName(port: number): string {
  return `vpclab-${port}`;
}

/** The Set-Cookie value that lets the page's assets load after `/?token=…`. */
export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The value of one cookie in a Cookie header, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export interface Credentials {
  /** `?token=` in the request, if any (present but wrong counts as wrong). */
  queryToken: string | null;
  cookieToken: string | null;
}

export function credentials(req: IncomingMessage, port: number): Credentials {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const queryToken = q >= 0 ? new URLSearchParams(url.slice(q + 1)).get('token') : null;
  return { queryToken, cookieToken: readCookie(req.headers.cookie, cookieName(port)) };
}

/** A query token, when given, decides alone; otherwise the cookie. */
export function authorized(c: Credentials, token: string): boolean {
  if (c.queryToken !== null) return tokenMatches(c.queryToken, token);
  return tokenMatches(c.cookieToken, token);
}

export function ownOrigin(port: number): string {
  return `http://${LOOPBACK}:${port}`;
}

export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `${LOOPBACK}:${port}` || (port === 80 && host === LOOPBACK);
}

export function originAllowed(origin: string | undefined, port: number): boolean {
  return origin === ownOrigin(port);
}
