import { ipcMain, type WebContents } from 'electron';
import type { EventSink } from '../../shared/api';
import { createDispatcher, toErrorPayload } from '../core/dispatcher';
import type { LabService } from '../core/labService';
import { isTrustedSender } from './trustedSender';
import { callChannel, eventChannel } from './ipcChannels';

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
