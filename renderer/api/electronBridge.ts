import type { EventName, LabEvents, MethodName } from '../../shared/api';

/** What main/electron/preload.ts exposes as window.lab: named calls and event subscriptions. */
export interface ElectronLabBridge {
  /** Resolves with a CallReply (shared/wire/rpcEnvelope.ts), checked by the caller. */
  call(method: MethodName, params: unknown): Promise<unknown>;
  on<E extends EventName>(name: E, listener: (payload: LabEvents[E]) => void): () => void;
}

export function electronBridge(): ElectronLabBridge | null {
  return (globalThis as { lab?: ElectronLabBridge }).lab ?? null;
}
