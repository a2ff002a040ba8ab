import { mount } from 'svelte';
import App from './App.svelte';
import { installBrowserLab } from './lab-ws';
import { parseTheme, THEME_KEY } from './lib/theme';
import './styles/app.css';

// In the desktop app the preload has set window.lab; opened from `vpclab serve` in a
// browser, the page reaches the lab over that server's WebSocket instead.
installBrowserLab();

// A theme the user picked wins over the system's; set it before the first paint.
try {
  const picked = parseTheme(localStorage.getItem(THEME_KEY));
  if (picked) document.documentElement.dataset.theme = picked;
} catch {
  /* storage unavailable: follow the system */
}

mount(App, { target: document.getElementById('app')! });
