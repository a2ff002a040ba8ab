/// <reference types="svelte" />
/// <reference types="vite/client" />

import type { AppService } from '../../main/api/desk-service';

declare global {
  interface Window {
    /** Set by the desktop app's preload, or by lab-ws.ts on a page from `vpclab serve`. */
    lab?: AppService;
  }
}

export {};
