import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isEventName, isMethodName, type EventName, type LabEvents, type MethodName } from '../../shared/api';
import { callChannel, eventChannel } from './ipcChannels';

// Exposes window.lab: API calls by method name and event subscriptions, both limited to the
// names in shared/api.ts. ipcRenderer itself never reaches the page.

contextBridge.exposeInMainWorld('lab', {
  call(method: MethodName, params: unknown): Promise<unknown> {
    if (!isMethodName(method)) throw new Error(`unknown method ${String(method)}`);
    return ipcRenderer.invoke(callChannel, method, params);
  },
  on<E extends EventName>(name: E, listener: (payload: LabEvents[E]) => void): () => void {
    if (!isEventName(name)) throw new Error(`unknown event ${String(name)}`);
    const handler = (_event: IpcRendererEvent, eventName: unknown, payload: unknown) => {
      if (eventName === name) listener(payload as LabEvents[E]);
    };
    ipcRenderer.on(eventChannel, handler);
    return () => {
      ipcRenderer.removeListener(eventChannel, handler);
    };
  },
});
