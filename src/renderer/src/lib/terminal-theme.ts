// Terminal colours for the app's light and dark themes. xterm takes colours as values, not
// CSS variables, so they are spelled out here; the backgrounds match app.css's --code-bg
// family so a terminal sits in the page like the other command output. The light palette
// darkens yellow, cyan and white, which xterm's defaults make unreadable on white.

import type { ITheme } from '@xterm/xterm';
import type { Theme } from './theme';

const LIGHT: ITheme = {
  background: '#fbfbfc',
  foreground: '#1f2329',
  cursor: '#1f2329',
  cursorAccent: '#fbfbfc',
  selectionBackground: '#b9d4f5',
  black: '#1f2329',
  red: '#c8281e',
  green: '#14813a',
  yellow: '#8a5a00',
  blue: '#0064c8',
  magenta: '#a3319b',
  cyan: '#0b7285',
  white: '#737a86',
  brightBlack: '#505762',
  brightRed: '#a61e16',
  brightGreen: '#0f6b2f',
  brightYellow: '#7a4f00',
  brightBlue: '#0052a3',
  brightMagenta: '#86277f',
  brightCyan: '#095c6b',
  brightWhite: '#505762',
};

const DARK: ITheme = {
  background: '#0f1114',
  foreground: '#e4e7eb',
  cursor: '#e4e7eb',
  cursorAccent: '#0f1114',
  selectionBackground: '#2f4f78',
  black: '#2a2f35',
  red: '#ff7468',
  green: '#4cc774',
  yellow: '#f0b255',
  blue: '#6cb0ff',
  magenta: '#d98ad4',
  cyan: '#5cc8d6',
  white: '#c9ced6',
  brightBlack: '#8c94a0',
  brightRed: '#ff9a90',
  brightGreen: '#7ddc98',
  brightYellow: '#f7cd86',
  brightBlue: '#9ccaff',
  brightMagenta: '#e8b0e4',
  brightCyan: '#8adbe5',
  brightWhite: '#ffffff',
};

export function terminalTheme(theme: Theme): ITheme {
  return theme === 'dark' ? DARK : LIGHT;
}

/** The monospace fonts the page uses (app.css --mono), for xterm's fontFamily option. */
export const TERMINAL_FONT = "ui-monospace, 'SFMono-Regular', 'Cascadia Mono', 'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace";
