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

/**
 * The theme button names the theme a click switches to, in either theme ("Dark theme" on
 * the light one, "Light theme" on the dark one), with the symbol of that theme.
 */
export function themeButton(current: Theme): { text: string; label: string; icon: string } {
  const next = toggledTheme(current);
  return {
    text: next === 'dark' ? 'Dark theme' : 'Light theme',
    label: `Switch to the ${next} theme`,
    icon: next === 'dark' ? '☾' : '☀',
  };
}
