// Light and dark themes: the system's choice (prefers-color-scheme) until the user picks one
// with the toggle; the pick is remembered. CSS does the rest (styles/app.css, data-theme).

export type Theme = 'light' | 'dark';
export const THEME_KEY = 'vpclab.theme';

export function parseTheme(v: unknown): Theme | null {
  return v === 'light' || v === 'dark' ? v : null;
}

export function effectiveTheme(stored: Theme | null, systemDark: boolean): Theme {
  return stored ?? (systemDark ? 'dark' : 'light');
}

export function toggledTheme(t: Theme): Theme {
  return t === 'dark' ? 'light' : 'dark';
}
