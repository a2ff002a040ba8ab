import { mount } from 'svelte';
import App from './App.svelte';
import { installBrowserLab } from './lab-ws';

// In the desktop app the preload has set window.lab; opened from `vpclab serve` in a
// browser, the page reaches the lab over that server's WebSocket instead.
installBrowserLab();

mount(App, { target: document.getElementById('app')! });
