/// <reference types="svelte" />
/// <reference types="vite/client" />

import type { LabService } from '../../main/api/lab-service';

declare global {
  interface Window {
    /** Set by the desktop app's preload (and later the browser bridge); absent otherwise. */
    lab?: LabService;
  }
}

export {};
