import * as v from 'valibot';
import type { EventName, LabApi, LabEvents, MethodName } from '../../shared/api';
import { ApiError, type ApiErrorCode } from '../../shared/apiError';
import { CallReplySchema } from '../../shared/wire/rpcEnvelope';
import { createRemoteApi } from '../../shared/wire/remoteApi';
import { validateEvent } from '../../shared/wire/validation';
import { electronBridge } from './electronBridge';
import { WsClient, type ConnectionStatus } from './wsClient';

// The renderer's only way to the API: Electron's preload bridge when present, else the
// WebSocket of browser mode. Results and events are validated on arrival either way.

const bridge = electronBridge();
const ws = bridge ? null : new WsClient(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`);

async function callThroughBridge(method: MethodName, params: unknown): Promise<unknown> {
  const reply = v.parse(CallReplySchema, await bridge!.call(method, params));
  if (reply.ok) return reply.result;
  throw new ApiError(reply.error.code as ApiErrorCode, reply.error.message);
}

export const lab: LabApi = createRemoteApi((method, params) => (bridge ? callThroughBridge(method, params) : ws!.call(method, params)));

/** Subscribes to a pushed event; returns the unsubscribe function. */
export function onLabEvent<E extends EventName>(name: E, listener: (payload: LabEvents[E]) => void): () => void {
  if (ws) return ws.on(name, listener);
  return bridge!.on(name, (payload) => {
    const checked = validateEvent(name, payload);
    listener(checked.payload as LabEvents[E]);
  });
}

/** Follows the connection to the server (browser mode); under Electron the app is always connected. */
export function onConnectionStatus(listener: (status: ConnectionStatus) => void): () => void {
  return ws ? ws.onStatus(listener) : () => undefined;
}
