import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowPlace {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

/** Every window's security settings in one place (Electron's security checklist). */
export function defaultWindowOptions(preload: string, { devTools, place }: { devTools: boolean; place?: WindowPlace }): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    ...place,
    minWidth: 960,
    minHeight: 640,
    show: false,
    backgroundColor: '#12151c',
    title: 'MNIST Lab',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools,
    },
  };
}
