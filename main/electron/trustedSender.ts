import type { IpcMainInvokeEvent } from 'electron';
import { isAppUrl } from './appOrigin';

/** Only the app's own pages may call: the frame that sent the call must be on app://lab. */
export const isTrustedSender = (event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean => isAppUrl(event.senderFrame?.url);
