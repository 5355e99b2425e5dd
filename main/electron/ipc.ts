import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { EventSink } from '../../shared/api';
import { createDispatcher, toErrorPayload } from '../core/dispatcher';
import type { LabService } from '../core/labService';
import { appOrigin } from './appProtocol';
import { callChannel, eventChannel } from './ipcChannels';

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url;
  if (!url) return false;
  try {
    return new URL(url).origin === appOrigin;
  } catch {
    return false;
  }
}

/** Carries API calls from the app's own pages to core; answers with an envelope that keeps error codes. */
export function registerIpc(service: LabService): void {
  const dispatch = createDispatcher(service);
  ipcMain.handle(callChannel, async (event, method: unknown, params: unknown) => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'invalid-request', message: 'calls are accepted from MNIST Lab pages only' } };
    try {
      return { ok: true, result: await dispatch(method, params) };
    } catch (error) {
      return { ok: false, error: toErrorPayload(error) };
    }
  });
}

/** Sends events to every window showing the app. */
export function eventSink(windows: () => WebContents[]): EventSink {
  return (name, payload) => {
    for (const contents of windows()) if (!contents.isDestroyed()) contents.send(eventChannel, name, payload);
  };
}
