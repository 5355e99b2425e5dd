import * as v from 'valibot';
import type { EventName, LabApi, LabEvents, MethodName } from '../../shared/api';
import { ApiError, type ApiErrorCode } from '../../shared/apiError';
import { CallReplySchema } from '../../shared/wire/rpcEnvelope';
import { createRemoteApi } from '../../shared/wire/remoteApi';
import { validateEvent } from '../../shared/wire/validation';
import { electronBridge, type ElectronLabBridge } from './electronBridge';
import { WsClient, type ConnectionStatus } from './wsClient';

/** The renderer's only way to the API: calls, pushed events and the connection's state. */
export interface LabClient {
  api: LabApi;
  /** Subscribes to a pushed event; returns the unsubscribe function. */
  on<E extends EventName>(name: E, listener: (payload: LabEvents[E]) => void): () => void;
  /** Follows the connection to the server (browser mode); under Electron the app is always connected. */
  onConnectionStatus(listener: (status: ConnectionStatus) => void): () => void;
}

async function callThroughBridge(bridge: ElectronLabBridge, method: MethodName, params: unknown): Promise<unknown> {
  const reply = v.parse(CallReplySchema, await bridge.call(method, params));
  if (reply.ok) return reply.result;
  throw new ApiError(reply.error.code as ApiErrorCode, reply.error.message, reply.error.reason);
}

/**
 * Electron's preload bridge when present, else the WebSocket of browser mode. Results and events
 * are validated on arrival either way. Made once, in main.ts, and handed to the app by context.
 */
export function createLabClient(): LabClient {
  const bridge = electronBridge();
  if (bridge) {
    return {
      api: createRemoteApi((method, params) => callThroughBridge(bridge, method, params)),
      on: (name, listener) => bridge.on(name, (payload) => listener(validateEvent(name, payload).payload as LabEvents[typeof name])),
      onConnectionStatus: () => () => undefined,
    };
  }
  const ws = new WsClient(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`);
  return {
    api: createRemoteApi((method, params) => ws.call(method, params)),
    on: (name, listener) => ws.on(name, listener),
    onConnectionStatus: (listener) => ws.onStatus(listener),
  };
}
